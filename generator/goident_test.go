package generator

import "testing"

func TestGoIdentifiers(t *testing.T) {
	tests := []struct {
		in                        string
		exported, unexported, pkg string
	}{
		{"demo", "Demo", "demo", "demo"},
		{"my-app", "MyApp", "myApp", "myapp"},
		{"my-api", "MyAPI", "myAPI", "myapi"},
		{"user_id", "UserID", "userID", "userid"},
		{"http-server", "HTTPServer", "httpServer", "httpserver"},
		{"myAPIServer", "MyAPIServer", "myAPIServer", "myapiserver"},
		{"url", "URL", "url", "url"},
		{"3d-print", "X3dPrint", "x3dPrint", "x3dprint"},
		{"", "X", "x", "x"},
	}
	for _, tt := range tests {
		if got := GoExported(tt.in); got != tt.exported {
			t.Errorf("GoExported(%q) = %q, want %q", tt.in, got, tt.exported)
		}
		if got := GoUnexported(tt.in); got != tt.unexported {
			t.Errorf("GoUnexported(%q) = %q, want %q", tt.in, got, tt.unexported)
		}
		if got := GoPackage(tt.in); got != tt.pkg {
			t.Errorf("GoPackage(%q) = %q, want %q", tt.in, got, tt.pkg)
		}
	}
}

func TestFuncMapIsHermetic(t *testing.T) {
	m := FuncMap()
	for _, name := range []string{"env", "expandenv", "now", "date", "randAlpha", "uuidv4", "getHostByName", "ago", "randInt", "shuffle", "genPrivateKey", "bcrypt"} {
		if _, ok := m[name]; ok {
			t.Errorf("FuncMap contains non-repeatable function %q", name)
		}
	}
	for _, name := range []string{"upper", "snakecase", "quote", "goExported", "goPackage", "goUnexported"} {
		if _, ok := m[name]; !ok {
			t.Errorf("FuncMap lacks %q", name)
		}
	}
}
