package generator

import (
	"fmt"
	"sync"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// nonRepeatable lists sprig functions that HermeticTxtFuncMap keeps but whose
// result depends on the clock, randomness or the local time zone. Removing
// them keeps rendering a pure function of the template set and the answers.
var nonRepeatable = []string{
	"ago", "durationRound", "unixEpoch", "toDate", "mustToDate",
	"must_date_modify", "mustDateModify",
	"shuffle", "randInt",
	"bcrypt", "htpasswd", "encryptAES",
	"genPrivateKey", "genCA", "genCAWithKey",
	"genSelfSignedCert", "genSelfSignedCertWithKey",
	"genSignedCert", "genSignedCertWithKey",
}

// baseFuncs is FuncMap built once; text/template copies the functions it is
// given, so sharing the map between templates is safe as long as nobody
// writes to it.
var baseFuncs = sync.OnceValue(FuncMap)

// FuncMap returns the functions available to every template: sprig's
// repeatable functions plus the Go-identifier helpers. The map is hermetic:
// no environment, no clock, no randomness, no network.
func FuncMap() template.FuncMap {
	m := sprig.HermeticTxtFuncMap()
	for _, name := range nonRepeatable {
		delete(m, name)
	}
	m["goPackage"] = GoPackage
	m["goExported"] = GoExported
	m["goUnexported"] = GoUnexported
	// Filled in by the engine when it renders sets together.
	m["slot"] = func(name string) (string, error) {
		return "", fmt.Errorf("slot %q: slots are filled only when template sets render together", name)
	}
	return m
}
