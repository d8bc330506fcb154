#!/bin/sh
# scripts/check-layers.sh: the layers of src/ (docs/architecture.md), checked.
#
# Each folder of src/ is a layer; includes point only down the pipeline:
#
#   cli > report > detect > model > source > decode > util
#
# A file of src/L, or a header of include/ that belongs to L, may include
# only headers of L or of a layer below it.  A header of include/ belongs
# to the layer of the src/*/NAME.c that implements it; the few headers with
# no such file (types and declarations only) are listed below.  A new header
# that is neither fails the check until it is placed.  Kernel interfaces
# stay in the sources: libtracefs/libtraceevent/libtracecmd headers only in
# source and decode, <sys/ptrace.h> only in source.
#
# Inside the model, model.c owns the sub-models and calls down: no other
# file of src/model includes model.h.
#
# Exit 0 when every include points down, else 1 with one line per include
# that does not.  Run by `make check` (make layers).
set -eu
cd "$(dirname "$0")/.."

rank() {
	case $1 in
	util) echo 0 ;; decode) echo 1 ;; source) echo 2 ;; model) echo 3 ;;
	detect) echo 4 ;; report) echo 5 ;; cli) echo 6 ;;
	*) echo 99 ;;
	esac
}

# headers with no NAME.c of their own
declared_layer() {
	case $1 in
	event.h | vocab.h) echo util ;;		# the event struct, shared words
	source.h | ptrace.h | tracedat.h) echo source ;;
	callsmodel.h | fdmodel.h | holdmodel.h | loopmodel.h | waitmodel.h | uringmodel.h) echo model ;;
	report.h) echo report ;;
	cli.h) echo cli ;;
	*) echo "" ;;
	esac
}

# the layer of include/NAME.h
header_layer() {
	impl=$(ls src/*/"${1%.h}".c 2> /dev/null | head -n 1)
	if [ -n "$impl" ]; then
		basename "$(dirname "$impl")"
	else
		declared_layer "$1"
	fi
}

bad=0
for layer in util decode source model detect report cli; do
	[ -d "src/$layer" ] || { echo "check-layers: no folder src/$layer" >&2; bad=1; }
done
for d in src/*/; do
	l=$(basename "$d")
	[ "$(rank "$l")" -lt 99 ] || { echo "check-layers: src/$l is no layer (add it to scripts/check-layers.sh and docs/architecture.md)" >&2; bad=1; }
done

for f in src/*/*.c src/*/*.h include/*.h; do
	case $f in
	src/*) layer=$(basename "$(dirname "$f")") ;;
	*)
		layer=$(header_layer "$(basename "$f")")
		if [ -z "$layer" ]; then
			echo "check-layers: $f belongs to no layer: give it a src/LAYER/$(basename "$f" .h).c or list it in scripts/check-layers.sh" >&2
			bad=1
			continue
		fi
		;;
	esac
	r=$(rank "$layer")
	# quoted includes: our headers (a file's own folder first, then include/)
	for inc in $(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case $f in
		src/*) [ -f "$(dirname "$f")/$inc" ] && continue ;;	# folder-private
		esac
		if [ ! -f "include/$inc" ]; then
			case $inc in
			syscalls_gen.h) continue ;;	# generated at build time (util)
			esac
			echo "check-layers: $f includes \"$inc\", which is neither in include/ nor beside it" >&2
			bad=1
			continue
		fi
		il=$(header_layer "$inc")
		ir=$(rank "$il")
		if [ "$ir" -gt "$r" ]; then
			echo "check-layers: $f ($layer) includes $inc ($il): includes point only down (cli > report > detect > model > source > decode > util)" >&2
			bad=1
		fi
	done
	# kernel interfaces stay in the sources
	for sys in $(sed -n 's/^#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$f"); do
		case $sys in
		tracefs.h | event-parse.h | trace-cmd.h | trace-seq.h | kbuffer.h)
			case $layer in source | decode) ;; *)
				echo "check-layers: $f ($layer) includes <$sys>: only source and decode know tracefs" >&2
				bad=1 ;;
			esac ;;
		sys/ptrace.h)
			[ "$layer" = source ] || {
				echo "check-layers: $f ($layer) includes <$sys>: only the ptrace source knows ptrace" >&2
				bad=1
			} ;;
		esac
	done
done
# the model calls down: only model.c, the owner of the sub-models, knows model.h
for f in src/model/*.c src/model/*.h; do
	case $f in src/model/model.c) continue ;; esac
	if grep -q '^#[[:space:]]*include[[:space:]]*"model.h"' "$f"; then
		echo "check-layers: $f includes model.h: a sub-model gets what it needs passed in by model.c and never calls back up" >&2
		bad=1
	fi
done
if [ $bad -ne 0 ]; then
	exit 1
fi
echo "layers: every include points down the pipeline"
