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
func KeyValue(base, ours, theirs string) string {
	bk := parseKV(base)
	tk := parseKV(theirs)
	lines := SplitLines(ours)
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	ourKeys := map[string]bool{}
	var out []string
	for _, l := range lines {
		key, _, ok := kvLine(l)
		if !ok {
			out = append(out, l)
			continue
		}
		ourKeys[key] = true
		b, inBase := bk.values[key]
		t, inTheirs := tk.values[key]
		switch {
		case inBase && !inTheirs && b.line == l:
			continue // removed by the template, untouched by the user
		case inBase && inTheirs && b.line == l && t.line != b.line:
			out = append(out, t.line) // changed by the template only
		default:
			out = append(out, l)
		}
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
	return strings.Join(out, "")
}

type kvEntry struct {
	line     string   // the assignment line, with its newline
	comments []string // the comment lines directly above it
}

type kvFile struct {
	values map[string]kvEntry
	order  []string
}

func parseKV(text string) kvFile {
	f := kvFile{values: map[string]kvEntry{}}
	var comments []string
	for _, l := range SplitLines(text) {
		if !strings.HasSuffix(l, "\n") {
			l += "\n"
		}
		key, _, ok := kvLine(l)
		switch {
		case ok:
			if _, dup := f.values[key]; !dup {
				f.order = append(f.order, key)
				f.values[key] = kvEntry{line: l, comments: comments}
			}
			comments = nil
		case strings.HasPrefix(strings.TrimSpace(l), "#"):
			comments = append(comments, l)
		default:
			comments = nil
		}
	}
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
