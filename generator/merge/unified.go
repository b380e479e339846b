package merge

import (
	"fmt"
	"strings"
)

// Unified returns a unified diff from a to b with three lines of context,
// or "" when they are equal.
func Unified(nameA, nameB, a, b string) string {
	if a == b {
		return ""
	}
	la, lb := SplitLines(a), SplitLines(b)
	match := lcsMatch(la, lb)
	// ops: ' ' keep, '-' delete from a, '+' insert from b.
	type op struct {
		kind byte
		line string
	}
	var ops []op
	j := 0
	for i := range la {
		if match[i] < 0 {
			ops = append(ops, op{'-', la[i]})
			continue
		}
		for ; j < match[i]; j++ {
			ops = append(ops, op{'+', lb[j]})
		}
		ops = append(ops, op{' ', la[i]})
		j++
	}
	for ; j < len(lb); j++ {
		ops = append(ops, op{'+', lb[j]})
	}
	const context = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	for start := 0; start < len(ops); {
		// Find the next change.
		for start < len(ops) && ops[start].kind == ' ' {
			start++
		}
		if start == len(ops) {
			break
		}
		lo := max(0, start-context)
		hi := start
		for last := start; hi < len(ops); hi++ {
			if ops[hi].kind != ' ' {
				last = hi
			} else if hi-last > 2*context {
				break
			}
		}
		hi = min(len(ops), hi)
		// Trim trailing context to three lines.
		end := hi
		for end > start && ops[end-1].kind == ' ' {
			end--
		}
		end = min(len(ops), end+context)
		// Line numbers of the hunk in a and b.
		aStart, bStart := 1, 1
		for _, o := range ops[:lo] {
			if o.kind != '+' {
				aStart++
			}
			if o.kind != '-' {
				bStart++
			}
		}
		aLen, bLen := 0, 0
		for _, o := range ops[lo:end] {
			if o.kind != '+' {
				aLen++
			}
			if o.kind != '-' {
				bLen++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		for _, o := range ops[lo:end] {
			out.WriteByte(o.kind)
			out.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		start = end
	}
	return out.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start-1)
	}
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
