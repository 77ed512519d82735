package main

import "testing"

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
