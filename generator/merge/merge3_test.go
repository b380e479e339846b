package merge

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

var labels = Labels{Ours: "yours", Base: "base", Theirs: "kit v2"}

func TestThreeCases(t *testing.T) {
	tests := []struct {
		name, base, ours, theirs, want string
		conflicts                      int
	}{
		{"nothing changed", "a\nb\n", "a\nb\n", "a\nb\n", "a\nb\n", 0},
		{"only ours", "a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", "a\nB\nc\n", 0},
		{"only theirs", "a\nb\nc\n", "a\nb\nc\n", "a\nb\nC\n", "a\nb\nC\n", 0},
		{"both, apart", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n", 0},
		{"both, same change", "a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", "a\nX\nc\n", 0},
		{"insertions at both ends", "a\nb\n", "top\na\nb\n", "a\nb\nbottom\n", "top\na\nb\nbottom\n", 0},
		{"ours deletes, theirs edits elsewhere", "a\nb\nc\nd\n", "a\nc\nd\n", "a\nb\nc\nD\n", "a\nc\nD\n", 0},
		{"overlap", "a\nb\nc\n", "a\nours\nc\n", "a\ntheirs\nc\n",
			"a\n<<<<<<< yours\nours\n||||||| base\nb\n=======\ntheirs\n>>>>>>> kit v2\nc\n", 1},
		{"same place insertions differ", "a\nb\n", "a\nx\nb\n", "a\ny\nb\n",
			"a\n<<<<<<< yours\nx\n||||||| base\n=======\ny\n>>>>>>> kit v2\nb\n", 1},
		{"no final newline", "a\nb", "a\nB", "a\nb", "a\nB", 0},
		{"conflict without final newline", "a", "b", "c",
			"<<<<<<< yours\nb\n||||||| base\na\n=======\nc\n>>>>>>> kit v2\n", 1},
		{"empty base, both add", "", "x\n", "y\n",
			"<<<<<<< yours\nx\n||||||| base\n=======\ny\n>>>>>>> kit v2\n", 1},
		{"theirs deletes all", "a\nb\n", "a\nb\n", "", "", 0},
		// One side adds lines right next to lines the other changed: no
		// line is changed by both, so both changes hold.
		{"ours appends after the lines theirs changed", "a\nb\nc\n", "a\nb\nc\nmine\n", "a\nb\nC\n", "a\nb\nC\nmine\n", 0},
		{"theirs inserts before the lines ours changed", "a\nb\nc\n", "a\nB\nc\n", "a\nnew\nb\nc\n", "a\nnew\nB\nc\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Three(tt.base, tt.ours, tt.theirs, labels)
			if got.Text != tt.want || got.Conflicts != tt.conflicts {
				t.Errorf("got %d conflicts:\n%s\nwant %d:\n%s", got.Conflicts, got.Text, tt.conflicts, tt.want)
			}
			if (got.Conflicts > 0) != HasConflictMarkers(got.Text) {
				t.Errorf("HasConflictMarkers disagrees with %d conflicts", got.Conflicts)
			}
		})
	}
}

func TestTwoWay(t *testing.T) {
	if got := TwoWay("same\n", "same\n", labels); got != "same\n" {
		t.Errorf("equal sides: %q", got)
	}
	want := "<<<<<<< yours\nmine\n=======\nkit's\n>>>>>>> kit v2\n"
	if got := TwoWay("mine\n", "kit's\n", labels); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// edit describes a random edit script applied to a base text: at each base
// position, lines may be deleted, replaced or inserted. Added lines carry a
// unique tag so a test can look for them afterwards.
type edit struct {
	del map[int]bool
	ins map[int][]string // inserted before base line i (i == len means at end)
}

func randomEdit(r *rand.Rand, n int, tag string, allowed func(int) bool) edit {
	e := edit{del: map[int]bool{}, ins: map[int][]string{}}
	for i := 0; i <= n; i++ {
		if !allowed(i) {
			continue
		}
		if i < n && r.Intn(6) == 0 {
			e.del[i] = true
		}
		if r.Intn(6) == 0 {
			for c := r.Intn(3) + 1; c > 0; c-- {
				e.ins[i] = append(e.ins[i], fmt.Sprintf("%s-%d-%d\n", tag, i, c))
			}
		}
	}
	return e
}

func apply(base []string, edits ...edit) string {
	var out strings.Builder
	for i := 0; i <= len(base); i++ {
		for _, e := range edits {
			for _, l := range e.ins[i] {
				out.WriteString(l)
			}
		}
		if i == len(base) {
			break
		}
		deleted := false
		for _, e := range edits {
			deleted = deleted || e.del[i]
		}
		if !deleted {
			out.WriteString(base[i])
		}
	}
	return out.String()
}

func added(e edit) []string {
	var out []string
	for _, ls := range e.ins {
		out = append(out, ls...)
	}
	return out
}

// TestThreeProperties checks, over many random texts and edits, that no
// added line is lost, that edits to separate regions merge cleanly into
// exactly the text both edits produce, and that merging again changes
// nothing.
func TestThreeProperties(t *testing.T) {
	for seed := int64(0); seed < 3000; seed++ {
		checkProperties(t, seed)
	}
}

func FuzzThree(f *testing.F) {
	for _, s := range []int64{1, 2, 3, 42, 1 << 40} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed int64) { checkProperties(t, seed) })
}

func checkProperties(t *testing.T, seed int64) {
	r := rand.New(rand.NewSource(seed))
	n := r.Intn(30)
	base := make([]string, n)
	repeats := r.Intn(2) == 0
	for i := range base {
		if repeats {
			base[i] = fmt.Sprintf("line %d\n", r.Intn(4)) // many equal lines
		} else {
			base[i] = fmt.Sprintf("base %d\n", i)
		}
	}
	baseText := strings.Join(base, "")

	// Overlapping edits anywhere: nothing added may be lost.
	ue := randomEdit(r, n, "user", func(int) bool { return true })
	te := randomEdit(r, n, "kit", func(int) bool { return true })
	res := Three(baseText, apply(base, ue), apply(base, te), labels)
	for _, l := range append(added(ue), added(te)...) {
		if !strings.Contains(res.Text, l) {
			t.Fatalf("seed %d: added line %q lost\nbase:\n%s\nresult:\n%s", seed, l, baseText, res.Text)
		}
	}

	// Edits to separate regions (a gap of one untouched line between
	// them) over distinct base lines must merge cleanly and exactly.
	if repeats || n < 2 {
		return
	}
	cut := r.Intn(n-1) + 1 // user edits before cut-1, kit edits after cut
	ue = randomEdit(r, n, "user", func(i int) bool { return i < cut-1 || (i == cut-1 && false) })
	te = randomEdit(r, n, "kit", func(i int) bool { return i > cut })
	ours, theirs := apply(base, ue), apply(base, te)
	want := apply(base, ue, te)
	got := Three(baseText, ours, theirs, labels)
	if got.Conflicts != 0 || got.Text != want {
		t.Fatalf("seed %d: separate edits: %d conflicts\nbase:\n%s\nours:\n%s\ntheirs:\n%s\ngot:\n%s\nwant:\n%s",
			seed, got.Conflicts, baseText, ours, theirs, got.Text, want)
	}
	// Merging the template's change again changes nothing.
	again := Three(baseText, got.Text, theirs, labels)
	if again.Conflicts != 0 || again.Text != got.Text {
		t.Fatalf("seed %d: not idempotent:\nfirst:\n%s\nagain:\n%s", seed, got.Text, again.Text)
	}
}
