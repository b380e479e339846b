package generator

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestStateRoundTripAndChecksums(t *testing.T) {
	files := []File{{Path: "b.txt", Data: []byte("b")}, {Path: "a.txt", Data: []byte("a")}}
	answers := map[string]any{"name": "demo", "http_port": 8080, "oauth_providers": []string{"google"}, "example_module": true}
	st := NewState("v1.2.3", []SetRef{{Name: "chassis", Version: "sha256:abc"}}, answers, Checksums(files))
	data, err := st.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := NewState("v1.2.3", []SetRef{{Name: "chassis", Version: "sha256:abc"}}, answers, Checksums(files)).Marshal()
	if string(data) != string(again) {
		t.Error("Marshal is not deterministic")
	}
	if !strings.HasPrefix(string(data), "# Written by kit") {
		t.Errorf("state lacks its header:\n%s", data)
	}
	if i, j := strings.Index(string(data), "a.txt"), strings.Index(string(data), "b.txt"); i > j {
		t.Error("files are not sorted")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, StateFile), data, 0o644)
	got, err := ReadState(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.KitVersion != "v1.2.3" || got.Template != st.Template || !reflect.DeepEqual(got.Files, st.Files) {
		t.Errorf("round trip: %+v", got)
	}
	if got.Files["a.txt"] != "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" {
		t.Errorf("checksum of a.txt = %s", got.Files["a.txt"])
	}
	if got.Answers["http_port"] != 8080 || got.Answers["name"] != "demo" {
		t.Errorf("answers: %v", got.Answers)
	}
}
