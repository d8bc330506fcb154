/* SPDX-License-Identifier: MIT */
#ifndef ILP_FLAME_H
#define ILP_FLAME_H

/*
 * Flame graph layout (src/report/flame.c): stacks of frames (fold.h) in,
 * rectangles out, which the HTML report prints as they are.  Pure C, no
 * I/O.
 *
 * As flamegraph.pl draws them: equal frames (name and kind) under equal
 * parents are one frame; siblings are sorted by name, then kind, so the
 * picture depends on the stacks only, never on their order; a frame's x
 * is the time of everything left of it, its width its time:
 *
 *   x = ns_left * width / total_ns        w = ns * width / total_ns   (px)
 *
 * A frame's own time (the part in no child) lies left of its children.
 * A frame narrower than min_w is not drawn, nor any frame above it: its
 * time stays in its parent's width, and is counted in the parent's
 * hidden_ns (the tooltip says how much is not shown).  Depth 0 is the
 * outermost frame, the bottom row.
 */

#include <stddef.h>
#include <stdint.h>

#include "fold.h"

struct ilp_flame;

struct ilp_flame_rect {
	const char *name;	/* the frame's (alive as long as the flame) */
	int kind;		/* enum ilp_frame_kind */
	int depth;		/* row, 0 = outermost */
	uint64_t ns;		/* the frame's time, its children's included */
	uint64_t hidden_ns;	/* of its children narrower than min_w (not drawn) */
	double x, w;		/* px */
	double pct;		/* ns, % of the total */
};

struct ilp_flame_rects {
	struct ilp_flame_rect *v;	/* by depth, then x */
	size_t n;
	int rows;			/* rows drawn: the deepest drawn depth + 1; 0 if none */
	uint64_t total_ns;		/* of all the stacks */
};

/**
 * ilp_flame_new - makes an empty flame graph
 *
 * Returns the flame graph (free it with ilp_flame_free()), or NULL on
 * ENOMEM.
 */
struct ilp_flame *ilp_flame_new(void);

/**
 * ilp_flame_free - frees a flame graph, its stacks and their names
 * @f: the flame graph; NULL is a no-op
 *
 * The names of rectangles laid out from @f die with it.
 */
void ilp_flame_free(struct ilp_flame *f);

/**
 * ilp_flame_add - adds a stack
 * @f: the flame graph
 * @frames: the stack's frames, outermost first (copied, names included)
 * @n: how many, 1 to ILP_FOLD_DEPTH
 * @ns: the stack's time; 0 adds nothing
 *
 * Returns 0, -EINVAL if @n is 0 or over ILP_FOLD_DEPTH, or -ENOMEM.
 */
int ilp_flame_add(struct ilp_flame *f, const struct ilp_frame *frames, size_t n, uint64_t ns);

/**
 * ilp_flame_layout - lays the stacks out as rectangles
 * @f: the flame graph (its stacks are sorted in place)
 * @width: the graph's width, px
 * @min_w: frames narrower than this, px, are not drawn (see above)
 * @out: filled: the rectangles (release with ilp_flame_rects_release()),
 *	their rows and the total time; zeroed first, so releasing it is
 *	safe whatever this returns
 *
 * Returns 0 or -ENOMEM.
 */
int ilp_flame_layout(struct ilp_flame *f, double width, double min_w,
		     struct ilp_flame_rects *out);

/**
 * ilp_flame_rects_release - frees the rectangles of a layout
 * @r: the layout; zeroed after (releasing it again is a no-op)
 */
void ilp_flame_rects_release(struct ilp_flame_rects *r);

/**
 * ilp_flame_color - chooses a frame's fill colour
 * @kind: the frame's kind (enum ilp_frame_kind)
 * @name: the frame's name
 * @buf: filled with "#rrggbb" and its NUL
 *
 * The hue from @kind, the shade from a hash of @name (the same name, the
 * same colour, in every report).  Warm like flamegraph.pl's, one palette
 * per kind: processes and threads yellow, call-stack frames red, syscalls
 * orange, objects waited on blue (flamegraph.pl's colour for off-CPU
 * time).
 */
void ilp_flame_color(int kind, const char *name, char buf[8]);

/* room left and right of a label inside its frame, px */
#define ILP_FLAME_TEXT_PAD 3

/**
 * ilp_flame_label - tells how much of a label fits in a frame
 * @s: the label, UTF-8 (a glyph per character)
 * @w: the frame's width, px (ILP_FLAME_TEXT_PAD kept free at each side)
 * @glyph: a glyph's average width, px
 * @dots: set to 1 when ".." must follow the part printed (@s cut so that
 *	it and the dots fit), else 0
 *
 * Returns the number of bytes of @s to print, whole characters: all of
 * them when @s fits, else those of (fitting characters - 2); 0 when @s
 * does not fit and fewer than 3 characters do.
 */
size_t ilp_flame_label(const char *s, double w, double glyph, int *dots);

#endif
