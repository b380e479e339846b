package merge

import "strings"

// Labels name the three sides in conflict markers.
type Labels struct {
	Ours, Base, Theirs string
}

// Result is the outcome of a three-way merge.
type Result struct {
	Text      string
	Conflicts int
}

// Three merges the changes from base to ours and from base to theirs. Where
// both sides changed the same region differently, the region is written with
// git-style markers:
//
//	<<<<<<< yours
//	(ours)
//	||||||| base
//	(base)
//	=======
//	(theirs)
//	>>>>>>> kit v1.2.0
//
// No line added by either side is ever dropped: it is in the result or in a
// conflict block.
func Three(base, ours, theirs string, labels Labels) Result {
	o, a, b := SplitLines(base), SplitLines(ours), SplitLines(theirs)
	ma, mb := lcsMatch(o, a), lcsMatch(o, b)
	var out strings.Builder
	conflicts := 0
	i, j, k := 0, 0, 0 // positions in base, ours, theirs
	for {
		// Copy the stable run: base lines matched, in order, on both sides.
		for i < len(o) && ma[i] == j && mb[i] == k {
			out.WriteString(o[i])
			i, j, k = i+1, j+1, k+1
		}
		// Find the next base line matched on both sides after the unstable
		// region; everything before it is one chunk.
		next := i
		for next < len(o) && (ma[next] < j || mb[next] < k) {
			next++
		}
		var ei, ej, ek int
		if next < len(o) {
			ei, ej, ek = next, ma[next], mb[next]
		} else {
			ei, ej, ek = len(o), len(a), len(b)
		}
		if ei == i && ej == j && ek == k {
			break
		}
		co, ca, cb := o[i:ei], a[j:ej], b[k:ek]
		switch {
		case equal(ca, co):
			writeAll(&out, cb)
		case equal(cb, co), equal(ca, cb):
			writeAll(&out, ca)
		case adjacent(&out, co, ca, cb), adjacent(&out, co, cb, ca):
			// One side only added lines next to the region the other
			// changed: both changes hold, in their order.
		default:
			conflicts++
			writeConflict(&out, co, ca, cb, labels)
		}
		i, j, k = ei, ej, ek
	}
	return Result{Text: out.String(), Conflicts: conflicts}
}

// adjacent writes the merge of a chunk where side x kept the base lines co
// whole and only added lines before or after them, while side y changed
// them: y's version with x's lines around it. It reports false, writing
// nothing, for any other chunk (and when co is empty: two insertions at one
// place have no order to keep).
func adjacent(out *strings.Builder, co, x, y []string) bool {
	if len(co) == 0 || len(x) <= len(co) {
		return false
	}
	switch {
	case equal(x[:len(co)], co):
		writeAll(out, y)
		writeAll(out, x[len(co):])
		return true
	case equal(x[len(x)-len(co):], co):
		writeAll(out, x[:len(x)-len(co)])
		writeAll(out, y)
		return true
	}
	return false
}

// TwoWay writes both versions in one conflict block, for files whose base is
// unknown (a user file where kit now adds one, a base kit could not rebuild).
func TwoWay(ours, theirs string, labels Labels) string {
	if ours == theirs {
		return ours
	}
	var out strings.Builder
	writeConflict(&out, nil, SplitLines(ours), SplitLines(theirs), Labels{Ours: labels.Ours, Theirs: labels.Theirs})
	return out.String()
}

func writeConflict(out *strings.Builder, base, ours, theirs []string, labels Labels) {
	out.WriteString("<<<<<<< " + labels.Ours + "\n")
	writeLines(out, ours)
	if labels.Base != "" {
		out.WriteString("||||||| " + labels.Base + "\n")
		writeLines(out, base)
	}
	out.WriteString("=======\n")
	writeLines(out, theirs)
	out.WriteString(">>>>>>> " + labels.Theirs + "\n")
}

// writeLines writes lines inside a conflict block, ending the last one with a
// newline so the marker that follows starts a line of its own.
func writeLines(out *strings.Builder, lines []string) {
	for _, l := range lines {
		out.WriteString(l)
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		out.WriteString("\n")
	}
}

func writeAll(out *strings.Builder, lines []string) {
	for _, l := range lines {
		out.WriteString(l)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// HasConflictMarkers reports whether text still holds a conflict block.
func HasConflictMarkers(text string) bool {
	return strings.Contains(text, "\n<<<<<<< ") || strings.HasPrefix(text, "<<<<<<< ")
}
