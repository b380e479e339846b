package generator

import (
	"strings"
	"unicode"
)

// commonInitialisms are written in upper case inside Go identifiers, as
// golint and the Go code review comments ask (userID, not userId).
var commonInitialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DB": true,
	"DNS": true, "EOF": true, "GUID": true, "HTML": true, "HTTP": true, "HTTPS": true,
	"ID": true, "IP": true, "JSON": true, "JWT": true, "LHS": true, "OS": true,
	"QPS": true, "RAM": true, "RHS": true, "RPC": true, "SLA": true, "SMTP": true,
	"SQL": true, "SSH": true, "TCP": true, "TLS": true, "TTL": true, "UDP": true,
	"UI": true, "UID": true, "URI": true, "URL": true, "UTF8": true, "UUID": true,
	"VM": true, "XML": true, "XMPP": true, "XSRF": true, "XSS": true,
}

// words splits s at every character that is not a letter or digit and at
// lower-to-upper case changes, so "my-api_server" and "myAPIServer" both
// yield lower-case words.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0:
			prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || (unicode.IsUpper(rs[i-1]) && nextLower) {
				flush()
			}
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// GoExported turns s into an exported Go identifier, upper-casing known
// initialisms: "my-api" → "MyAPI", "user_id" → "UserID". A result that would
// start with a digit is prefixed with "X".
func GoExported(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		if up := strings.ToUpper(w); commonInitialisms[up] {
			b.WriteString(up)
			continue
		}
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	return identStart(b.String(), "X")
}

// GoUnexported turns s into an unexported Go identifier: "my-api" → "myAPI",
// "ID" → "id", "api-server" → "apiServer".
func GoUnexported(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return "x"
	}
	first := ws[0]
	rest := GoExported(strings.Join(ws[1:], "-"))
	if len(ws) == 1 {
		rest = ""
	}
	return identStart(first+rest, "x")
}

// GoPackage turns s into a conventional Go package name: lower case letters
// and digits only, "my-app" → "myapp". A result that would start with a digit
// is prefixed with "x".
func GoPackage(s string) string {
	return identStart(strings.Join(words(s), ""), "x")
}

func identStart(s, prefix string) string {
	if s == "" {
		return prefix
	}
	if unicode.IsDigit([]rune(s)[0]) {
		return prefix + s
	}
	return s
}
