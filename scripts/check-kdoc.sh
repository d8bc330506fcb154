#!/bin/sh
# scripts/check-kdoc.sh: every function of a public header has its kernel-doc.
#
#   sh scripts/check-kdoc.sh [HEADER...]	(default: include/*.h)
#   sh scripts/check-kdoc.sh --self-test	(checks the checker)
#
# A function is a prototype starting at column 0 and ending in ';' (it may
# span lines), or a function defined in the header (static inline).  Macros,
# structs, enums, typedefs and variables are not checked.  Right above each
# function (no blank line between) must be a block of this shape, the way
# libtracefs documents its API:
#
#	/**
#	 * ilp_foo - one line saying what it does
#	 * @arg1: what it is (and who owns it, if a pointer is kept or freed)
#	 * @arg2: ...
#	 *
#	 * Optional longer description: ownership of returned memory (who
#	 * frees it and with what), lifetime of borrowed pointers...
#	 *
#	 * Returns ... (required unless the function returns void).
#	 */
#
# Every parameter has its "@name:" line, right after the name line (an
# @line may go on over more lines) and before the first blank " *" line;
# a variadic "..." is "@...:".  A prototype's parameters must be named.
# "Returns" (or "Return:") starts a line of the block.
#
# Prints one line per problem, "FILE:LINE: FUNCTION: what is wrong", then
# a count; exit 0 when there is none, else 1.
set -eu

kdoc_prog='
function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function problem(line, name, msg) {
	printf "%s:%d: %s: %s\n", file, line, name, msg
	nprob++
}

# d without its __attribute__((...)) groups
function strip_attrs(d,    p, j, depth, c, out) {
	out = ""
	while ((p = index(d, "__attribute__")) > 0) {
		out = out substr(d, 1, p - 1)
		d = substr(d, p + 13)
		depth = 0
		for (j = 1; j <= length(d); j++) {
			c = substr(d, j, 1)
			if (c == "(")
				depth++
			else if (c == ")" && --depth == 0)
				break
			else if (depth == 0 && c !~ /[ \t]/)
				break
		}
		d = substr(d, j + 1)
	}
	return out d
}

function is_type_word(w) {
	return w ~ /^(void|char|short|int|long|float|double|signed|unsigned|_Bool|bool)$/
}

# the name of parameter text p, "" when it has none
function param_name(p,    n, t, i, k, tok, ntok, fp) {
	p = trim(p)
	if (p == "...")
		return "..."
	if (index(p, "(")) {		# function pointer: ret (*name)(args)
		if (match(p, /\([ \t]*\*[ \t]*[A-Za-z_][A-Za-z0-9_]*/)) {
			fp = substr(p, RSTART, RLENGTH)
			sub(/^\([ \t]*\*[ \t]*/, "", fp)
			return fp
		}
		return ""
	}
	gsub(/\[[^]]*\]/, " ", p)
	gsub(/\*/, " ", p)
	n = split(p, t, /[ \t]+/)
	ntok = 0
	for (i = 1; i <= n; i++) {
		if (t[i] == "" || t[i] ~ /^(const|volatile|restrict|register)$/)
			continue
		tok[++ntok] = t[i]
	}
	# "struct tag" is one type token
	if (ntok >= 2 && tok[1] ~ /^(struct|enum|union)$/) {
		for (k = 2; k <= ntok; k++)
			tok[k - 1] = tok[k]
		ntok--
	}
	if (ntok >= 2 && !is_type_word(tok[ntok]) && tok[ntok] ~ /^[A-Za-z_][A-Za-z0-9_]*$/)
		return tok[ntok]
	return ""
}

# d: a declaration (comments removed) that opened at line start
function check_decl(d, start,    p, pre, name, rtype, j, depth, c, params, np, pn, i, cur,
		    nparams, pnames, isparam, k, b, t, docname, inparams, nat, seen, hasret, pname,
		    wrapped) {
	if (d ~ /^[ \t]*typedef[ \t]/)
		return
	d = strip_attrs(d)
	p = index(d, "(")
	if (!p)
		return
	pre = trim(substr(d, 1, p - 1))
	if (!match(pre, /[A-Za-z_][A-Za-z0-9_]*$/))
		return			# (*fp)(...): a variable
	name = substr(pre, RSTART)
	rtype = trim(substr(pre, 1, RSTART - 1))
	if (rtype == "")
		return			# a macro call, not a declaration
	nfuncs++
	gsub(/(^|[ \t])(static|inline|extern|__inline__)([ \t]|$)/, " ", rtype)
	rtype = trim(rtype)

	# the parameters: the parenthesised group after the name
	depth = 0
	for (j = p; j <= length(d); j++) {
		c = substr(d, j, 1)
		if (c == "(")
			depth++
		else if (c == ")" && --depth == 0)
			break
	}
	params = substr(d, p + 1, j - p - 1)
	nparams = 0
	split("", isparam)
	split("", seen)
	if (trim(params) != "void" && trim(params) != "") {
		depth = 0
		cur = ""
		np = 0
		for (j = 1; j <= length(params) + 1; j++) {
			c = j <= length(params) ? substr(params, j, 1) : ","
			if (c == "(")
				depth++
			else if (c == ")")
				depth--
			if (c == "," && depth == 0) {
				np++
				pn = param_name(cur)
				if (pn == "")
					problem(start, name, "parameter " np " (" trim(cur) ") is unnamed: name it in the prototype")
				else {
					pnames[++nparams] = pn
					isparam[pn] = 1
				}
				cur = ""
			} else
				cur = cur c
		}
	}

	# the block right above
	k = start - 1
	if (k < 1 || L[k] !~ /\*\/[ \t]*$/) {
		problem(start, name, "no kernel-doc block (/** ... */) right above it")
		return
	}
	for (b = k; b >= 1 && !index(L[b], "/*"); b--)
		;
	if (b < 1 || trim(L[b]) != "/**" || trim(L[k]) != "*/" || b + 1 >= k) {
		problem(start, name, "the comment above is not kernel-doc (\"/**\" and \"*/\" on lines of their own, \" * " name " - what it does\" first)")
		return
	}
	for (i = b + 1; i < k; i++)
		if (L[i] !~ /^ \*([ \t]|$)/)
			problem(i, name, "kernel-doc lines start with \" * \"")
	t = L[b + 1]
	if (t ~ /^ \* [A-Za-z_][A-Za-z0-9_]* - [^ \t]/) {
		docname = substr(t, 4)
		sub(/ .*/, "", docname)
		if (docname != name)
			problem(b + 1, name, "kernel-doc names " docname ", not " name)
	} else
		problem(b + 1, name, "the first kernel-doc line is not \" * " name " - what it does\"")

	inparams = 1
	nat = 0
	hasret = 0
	wrapped = 0
	for (i = b + 2; i < k; i++) {
		t = L[i]
		if (t ~ /^ \*[ \t]*$/) {
			inparams = 0
			continue
		}
		if (t ~ /^ \* @/) {
			pname = substr(t, 5)
			if (!index(pname, ":")) {
				problem(i, name, "an @line is \"@name: what it is\"")
				continue
			}
			sub(/:.*/, "", pname)
			if (!inparams)
				problem(i, name, "@" pname ": comes after a blank \" *\" line: the @lines go right after the name line")
			if (!(pname in isparam))
				problem(i, name, "@" pname ": names no parameter")
			else if (pname in seen)
				problem(i, name, "@" pname ": twice")
			seen[pname] = 1
			nat++
			continue
		}
		if (inparams && nat == 0 && !wrapped) {
			problem(i, name, "a blank \" *\" line goes between the name line and the description")
			wrapped = 1
		}
		if (t ~ /^ \* (Returns?([ \t:,.]|$)|Return:)/)
			hasret = 1
	}
	for (i = 1; i <= nparams; i++)
		if (!(pnames[i] in seen))
			problem(start, name, "no @" pnames[i] ": line")
	if (rtype != "void" && !hasret)
		problem(start, name, "no \"Returns\" line (it returns " rtype ")")
}

function check_file(    i, in_c, pp, body, acc, start, s, code, p, q, j, depth, c, rest, op, cl) {
	in_c = 0
	pp = 0
	body = 0
	acc = ""
	start = 0
	for (i = 1; i <= n; i++) {
		# the line without its comments
		s = L[i]
		code = ""
		while (s != "") {
			if (in_c) {
				p = index(s, "*/")
				if (!p)
					break
				s = substr(s, p + 2)
				in_c = 0
			} else {
				p = index(s, "/*")
				q = index(s, "//")
				if (q && (!p || q < p)) {
					code = code substr(s, 1, q - 1)
					break
				}
				if (!p) {
					code = code s
					break
				}
				code = code substr(s, 1, p - 1) " "
				s = substr(s, p + 2)
				in_c = 1
			}
		}
		if (pp || (!start && code ~ /^[ \t]*#/)) {
			pp = (code ~ /\\[ \t]*$/)
			continue
		}
		if (body > 0) {
			op = gsub(/\{/, "{", code)
			cl = gsub(/\}/, "}", code)
			body += op - cl
			continue
		}
		if (!start) {
			if (code !~ /^[A-Za-z_]/)
				continue
			start = i
			acc = ""
		}
		acc = acc " " code
		depth = 0
		for (j = 1; j <= length(acc); j++) {
			c = substr(acc, j, 1)
			if (c == "(")
				depth++
			else if (c == ")")
				depth--
			else if (depth == 0 && (c == ";" || c == "{"))
				break
		}
		if (j > length(acc))
			continue	# goes on on the next line
		check_decl(substr(acc, 1, j - 1), start)
		if (c == "{" && acc !~ /extern[ \t]*"C"/) {
			rest = substr(acc, j + 1)
			body = 1 + gsub(/\{/, "{", rest) - gsub(/\}/, "}", rest)
		}
		start = 0
	}
	nfiles++
}

FNR == 1 && NR > 1 {
	check_file()
	n = 0
}
FNR == 1 {
	file = FILENAME
}
{
	L[++n] = $0
}
END {
	if (NR > 0)
		check_file()
	printf "check-kdoc: %d functions in %d headers, %d problems\n", nfuncs, nfiles, nprob
	exit nprob ? 1 : 0
}
'

check() {
	awk "$kdoc_prog" "$@"
}

self_test() {
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	cat > "$dir/good.h" << 'EOF'
/* a header the checker must pass */
#define ILP_X(a) \
	(a + 1)

struct ilp_x {
	int (*fn)(int a);	/* members are not checked */
};

typedef int (*ilp_x_fn)(void *ctx);

/**
 * ilp_x_new - makes an x
 *
 * Returns the x, to free with ilp_x_free(); NULL on ENOMEM.
 */
struct ilp_x *ilp_x_new(void);

/**
 * ilp_x_free - frees x
 * @x: the x (NULL is a no-op)
 */
void ilp_x_free(struct ilp_x *x);

/**
 * ilp_x_fmt - prints into buf
 * @buf: where the text goes, NUL-terminated,
 *	cut to size
 * @size: bytes at buf
 * @fn: called once per item
 * @...: printf arguments
 *
 * Return: what snprintf returns.
 */
int ilp_x_fmt(char *buf, size_t size,
	      int (*fn)(const char *s, void *ctx), ...) __attribute__((format(printf, 1, 4)));
/**
 * ilp_x_get - the value at i
 * @x: the x
 * @i: which one, < 65
 *
 * Returns the value.
 */
static inline int ilp_x_get(const struct ilp_x *x, const uint64_t i[65])
{
	if (x) {
		return 1;
	}
	return 0;
}
EOF
	cat > "$dir/bad.h" << 'EOF'
/**
 * ilp_b_one - misses a parameter
 * @a: the first
 *
 * Returns 0.
 */
int ilp_b_one(int a, int b);

/**
 * ilp_b_two - has no Returns
 * @p: a pointer
 */
const char *ilp_b_two(const char *p);

int ilp_b_three(void);

/**
 * ilp_b_wrong - names another function
 * @q: a typo of p
 *
 * Returns 1.
 */
int ilp_b_four(int p);

/* an ordinary comment */
void ilp_b_five(struct ilp_x *);

/**
 * ilp_b_six - the @line after the description
 *
 * @x: late
 */
void ilp_b_six(int x);

/**
 * ilp_b_seven - a name line that goes on
 *	over two lines
 * @x: fine
 */
void ilp_b_seven(int x);
EOF
	cat > "$dir/expected" << EOF
$dir/bad.h:7: ilp_b_one: no @b: line
$dir/bad.h:13: ilp_b_two: no "Returns" line (it returns const char *)
$dir/bad.h:15: ilp_b_three: no kernel-doc block (/** ... */) right above it
$dir/bad.h:18: ilp_b_four: kernel-doc names ilp_b_wrong, not ilp_b_four
$dir/bad.h:19: ilp_b_four: @q: names no parameter
$dir/bad.h:23: ilp_b_four: no @p: line
$dir/bad.h:26: ilp_b_five: parameter 1 (struct ilp_x *) is unnamed: name it in the prototype
$dir/bad.h:26: ilp_b_five: the comment above is not kernel-doc ("/**" and "*/" on lines of their own, " * ilp_b_five - what it does" first)
$dir/bad.h:31: ilp_b_six: @x: comes after a blank " *" line: the @lines go right after the name line
$dir/bad.h:37: ilp_b_seven: a blank " *" line goes between the name line and the description
check-kdoc: 7 functions in 1 headers, 10 problems
EOF
	fail=0
	if out=$(check "$dir/good.h"); then
		if [ "$out" != "check-kdoc: 4 functions in 1 headers, 0 problems" ]; then
			echo "check-kdoc self-test: the good header: $out" >&2
			fail=1
		fi
	else
		printf 'check-kdoc self-test: the good header failed:\n%s\n' "$out" >&2
		fail=1
	fi
	if out=$(check "$dir/bad.h"); then
		printf 'check-kdoc self-test: the bad header passed:\n%s\n' "$out" >&2
		fail=1
	elif [ "$out" != "$(cat "$dir/expected")" ]; then
		printf '%s\n' "$out" > "$dir/got"
		echo "check-kdoc self-test: the bad header, expected (-) and got (+):" >&2
		diff -u "$dir/expected" "$dir/got" >&2 || true
		fail=1
	fi
	[ $fail -eq 0 ] || exit 1
	echo "check-kdoc self-test: the good header passes, the bad one gives its 10 problems"
}

if [ "${1:-}" = "--self-test" ]; then
	self_test
	exit 0
fi
if [ $# -eq 0 ]; then
	cd "$(dirname "$0")/.."
	set -- include/*.h
fi
check "$@"
