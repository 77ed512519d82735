package main

import (
	"strings"
	"testing"
)

func TestGoName(t *testing.T) {
	n := newNamer([]string{"sku"})
	for in, want := range map[string]string{
		"user_id":      "UserID",
		"userId":       "UserID",
		"UserID":       "UserID",
		"avatar_url":   "AvatarURL",
		"HTTPServer":   "HTTPServer",
		"order items":  "OrderItems",
		"order-items":  "OrderItems",
		"2fa_secret":   "X2faSecret",
		"sku":          "SKU",
		"uuid":         "UUID",
		"api_key_hash": "APIKeyHash",
		"___":          "X",
		"ÉtéÀ":         "ÉtéÀ",
		"id":           "ID",
		"ids":          "Ids",
	} {
		if got := n.GoName(in); got != want {
			t.Errorf("GoName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseGoType(t *testing.T) {
	for in, want := range map[string]goType{
		"string":                                 {Name: "string"},
		"time.Time":                              {Name: "time.Time", Import: "time"},
		"json.RawMessage":                        {Name: "json.RawMessage", Import: "encoding/json"},
		"github.com/shopspring/decimal.Decimal":  {Name: "decimal.Decimal", Import: "github.com/shopspring/decimal"},
		"github.com/jackc/pgx/v5/pgtype.Numeric": {Name: "pgtype.Numeric", Import: "github.com/jackc/pgx/v5/pgtype"},
		"example.com/money/v2.Amount":            {Name: "money.Amount", Import: "example.com/money/v2"},
	} {
		got, err := parseGoType(in)
		if err != nil || got != want {
			t.Errorf("parseGoType(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "Decimal", "github.com/x/", "github.com/x.y/z"} {
		if _, err := parseGoType(bad); err == nil {
			t.Errorf("parseGoType(%q): no error", bad)
		}
	}
}

// TestGenerateLine: the go:generate line repeats the run from the package's directory, with a
// password in the URL taken from the environment, and the header names the database without
// it.
func TestGenerateLine(t *testing.T) {
	o := options{url: "postgres://app:s3cret@db.internal:5432/app?sslmode=disable", out: "./internal/db", pkg: "db",
		schemas: []string{"public", "billing"}, exclude: []string{"schema_*"}, files: "table", views: true, strict: true}
	want := "go run github.com/typedsql/typedsql/cmd/typedsql-gen -url postgres://app:$TYPEDSQL_GEN_PASSWORD@db.internal:5432/app?sslmode=disable " +
		"-out . -pkg db -schema public,billing -exclude schema_* -files table -views -strict"
	if got := o.generateLine(); got != want {
		t.Errorf("generateLine:\n got %s\nwant %s", got, want)
	}
	if got, want := o.source(), "postgres://app:xxxxx@db.internal:5432/app?sslmode=disable"; got != want {
		t.Errorf("source: got %s, want %s", got, want)
	}
	o.url = "mysql://app@db/app?password=s3cret"
	if got := o.source() + " " + o.generateLine(); strings.Contains(got, "s3cret") {
		t.Errorf("a password in the query shows: %s", got)
	}
}
