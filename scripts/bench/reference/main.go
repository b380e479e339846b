// Command reference is the floor the chassis api is measured against: a
// server doing only the work GET /api/v1/tenants/{tenant_id}/projects needs.
// It verifies the chassis's Ed25519 access token (alg EdDSA, kid, iss, aud,
// exp, nbf, and the tenant claim against the path), then, in one
// transaction that sets app.tenant_id with set_config(..., true), reads the
// first page of the tenant's live projects and their count, and writes the
// same JSON page. No framework, no cache, no logging, no rate limit.
//
// It lives in a module of its own so that kit's go.mod does not gain pgx.
//
//	DATABASE_URL=postgres://bench_app@127.0.0.1:5432/bench JWT_PUBLIC_KEY=kid:base64 \
//	  go run . -addr 127.0.0.1:18081
package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

const leeway = 30 * time.Second

const pageSize = 20

const listSQL = `SELECT p.id, p.tenant_id, p.name, p.description, p.created_by, p.created_at, p.updated_at, p.version
FROM projects AS p WHERE (p.tenant_id = $1) AND (p.deleted_at IS NULL)
ORDER BY p.created_at, p.id LIMIT 20 OFFSET 0`

const countSQL = `SELECT count(*) FROM projects AS p WHERE (p.tenant_id = $1) AND (p.deleted_at IS NULL)`

type server struct {
	pool     *pgxpool.Pool
	kid      string
	key      ed25519.PublicKey
	issuer   string
	audience string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "listen address")
	issuer := flag.String("issuer", "bench", "expected iss claim")
	audience := flag.String("audience", "bench-api", "expected aud claim")
	maxConns := flag.Int("max-conns", 10, "PostgreSQL pool size")
	flag.Parse()

	kid, pub, ok := strings.Cut(os.Getenv("JWT_PUBLIC_KEY"), ":")
	key, err := base64.StdEncoding.DecodeString(pub)
	if !ok || err != nil || len(key) != ed25519.PublicKeySize {
		log.Fatal(`JWT_PUBLIC_KEY must be "kid:base64-public-key"`)
	}
	cfg, err := pgxpool.ParseConfig(os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatalf("DATABASE_URL: %v", err)
	}
	cfg.MaxConns = int32(*maxConns)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		log.Fatal(err)
	}
	s := &server{pool: pool, kid: kid, key: ed25519.PublicKey(key), issuer: *issuer, audience: *audience}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/tenants/{tenant_id}/projects", s.list)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	log.Fatal((&http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}).ListenAndServe())
}

type claims struct {
	Issuer   string   `json:"iss"`
	Audience []string `json:"aud"`
	Expires  int64    `json:"exp"`
	NotAfter int64    `json:"nbf"`
	Subject  string   `json:"sub"`
	TenantID string   `json:"tid"`
	Role     string   `json:"role"`
}

// verify checks a compact JWS signed with the chassis's key.
func (s *server) verify(token string) (claims, error) {
	var c claims
	h, rest, ok1 := strings.Cut(token, ".")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 {
		return c, errors.New("malformed")
	}
	hb, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return c, err
	}
	var hdr struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(hb, &hdr); err != nil || hdr.Alg != "EdDSA" || hdr.Kid != s.kid {
		return c, errors.New("bad header")
	}
	sb, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !ed25519.Verify(s.key, []byte(token[:len(h)+1+len(p)]), sb) {
		return c, errors.New("bad signature")
	}
	pb, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(pb, &c); err != nil {
		return c, err
	}
	now := time.Now()
	if c.Issuer != s.issuer || len(c.Audience) != 1 || c.Audience[0] != s.audience ||
		now.After(time.Unix(c.Expires, 0).Add(leeway)) || now.Add(leeway).Before(time.Unix(c.NotAfter, 0)) ||
		c.Subject == "" || c.Role == "" {
		return c, errors.New("bad claims")
	}
	return c, nil
}

type project struct {
	ID          pgtype.UUID `json:"id"`
	TenantID    pgtype.UUID `json:"tenant_id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	CreatedBy   pgtype.UUID `json:"created_by"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Version     int         `json:"version"`
}

type page struct {
	Items    []project `json:"items"`
	Total    int       `json:"total"`
	Page     int       `json:"page"`
	PageSize int       `json:"page_size"`
	Pages    int       `json:"pages"`
	HasNext  bool      `json:"has_next"`
	HasPrev  bool      `json:"has_prev"`
}

func (s *server) list(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	c, err := s.verify(token)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	tenant := r.PathValue("tenant_id")
	if tenant != c.TenantID {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	// One round trip: the whole transaction goes in one pipelined batch.
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	b.Queue("SELECT set_config('app.tenant_id', $1, true)", tenant)
	b.Queue(listSQL, tenant)
	b.Queue(countSQL, tenant)
	b.Queue("COMMIT")
	pg := page{Items: []project{}, Page: 1, PageSize: pageSize}
	br := s.pool.SendBatch(r.Context(), b)
	err = s.read(br, &pg)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		log.Printf("list projects: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	pg.Pages = (pg.Total + pageSize - 1) / pageSize
	pg.HasNext = pg.Page < pg.Pages
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(pg); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func (s *server) read(br pgx.BatchResults, pg *page) error {
	if _, err := br.Exec(); err != nil { // BEGIN
		return err
	}
	if _, err := br.Exec(); err != nil { // set_config
		return err
	}
	rows, err := br.Query()
	if err != nil {
		return err
	}
	for rows.Next() {
		var p project
		if err := rows.Scan(&p.ID, &p.TenantID, &p.Name, &p.Description, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &p.Version); err != nil {
			rows.Close()
			return err
		}
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		pg.Items = append(pg.Items, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := br.QueryRow().Scan(&pg.Total); err != nil {
		return err
	}
	_, err = br.Exec() // COMMIT
	return err
}
