package merge

import (
	"strings"
)

// KeyValue merges KEY=value files such as .env.example by key. The user's
// file is kept line for line, and the template's changes are applied to it:
// a key the template added is appended with the comment lines above it; a
// value the template changed is updated where the user had kept the base
// value; a key the template removed is removed where the user had kept the
// base value. A key whose value both sides changed keeps the user's value.
// Commented-out assignments ("# KEY=value") count as keys too, so optional
// settings merge like the others.
//
// The comment and blank lines above a key (and those after the last one)
// merge line by line like any text: a comment the template changed is
// carried where the user had kept it, and one both sides changed differently
// is written between conflict markers and counted in the result.
func KeyValue(base, ours, theirs string, labels Labels) Result {
	bk := parseKV(base)
	tk := parseKV(theirs)
	lines := SplitLines(ours)
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	conflicts := 0
	mergeTrivia := func(base, ours, theirs []string) []string {
		if equal(ours, theirs) || equal(base, theirs) {
			return ours
		}
		r := Three(strings.Join(base, ""), strings.Join(ours, ""), strings.Join(theirs, ""), labels)
		conflicts += r.Conflicts
		return SplitLines(r.Text)
	}
	ourKeys := map[string]bool{}
	var out, trivia []string
	for _, l := range lines {
		key, _, ok := kvLine(l)
		if !ok {
			trivia = append(trivia, l)
			continue
		}
		first := !ourKeys[key]
		ourKeys[key] = true
		b, inBase := bk.values[key]
		t, inTheirs := tk.values[key]
		switch {
		case !first || !inBase:
			out = append(out, trivia...) // the user's own
			out = append(out, l)
		case !inTheirs && b.line == l:
			// Removed by the template, untouched by the user: so are the
			// comments above it, unless the user changed them.
			out = append(out, mergeTrivia(b.trivia, trivia, nil)...)
		case !inTheirs:
			out = append(out, trivia...)
			out = append(out, l)
		case b.line == l && t.line != b.line:
			out = append(out, mergeTrivia(b.trivia, trivia, t.trivia)...)
			out = append(out, t.line) // changed by the template only
		default:
			out = append(out, mergeTrivia(b.trivia, trivia, t.trivia)...)
			out = append(out, l)
		}
		trivia = nil
	}
	for _, key := range tk.order {
		if ourKeys[key] {
			continue
		}
		if _, inBase := bk.values[key]; inBase {
			continue // the user deleted it: keep it deleted
		}
		t := tk.values[key]
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" && len(t.comments) > 0 {
			out = append(out, "\n")
		}
		out = append(out, t.comments...)
		out = append(out, t.line)
	}
	out = append(out, mergeTrivia(bk.tail, trivia, tk.tail)...)
	return Result{Text: strings.Join(out, ""), Conflicts: conflicts}
}

type kvEntry struct {
	line     string   // the assignment line, with its newline
	comments []string // the comment lines directly above it
	trivia   []string // every line between the previous assignment and this one
}

type kvFile struct {
	values map[string]kvEntry
	order  []string
	tail   []string // the lines after the last assignment
}

func parseKV(text string) kvFile {
	f := kvFile{values: map[string]kvEntry{}}
	var comments, trivia []string
	for _, l := range SplitLines(text) {
		if !strings.HasSuffix(l, "\n") {
			l += "\n"
		}
		key, _, ok := kvLine(l)
		switch {
		case ok:
			if _, dup := f.values[key]; !dup {
				f.order = append(f.order, key)
				f.values[key] = kvEntry{line: l, comments: comments, trivia: trivia}
			}
			comments, trivia = nil, nil
			continue
		case strings.HasPrefix(strings.TrimSpace(l), "#"):
			comments = append(comments, l)
		default:
			comments = nil
		}
		trivia = append(trivia, l)
	}
	f.tail = trivia
	return f
}

// kvLine recognizes "KEY=value", "export KEY=value" and "# KEY=value".
func kvLine(l string) (key, value string, ok bool) {
	s := strings.TrimSpace(l)
	s = strings.TrimPrefix(s, "export ")
	if rest, commented := strings.CutPrefix(s, "#"); commented {
		s = strings.TrimSpace(rest)
	}
	k, v, found := strings.Cut(s, "=")
	if !found || k == "" {
		return "", "", false
	}
	for _, r := range k {
		if !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return "", "", false
		}
	}
	return k, v, true
}
