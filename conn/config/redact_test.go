package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/conn/config"
)

// The settings table marks the password secret, and secret driver arguments join it: every
// redaction masks what Secrets lists.
func TestSecrets(t *testing.T) {
	c := config.Config{Adapter: "postgres", User: "app", Password: "hunter2hunter2", Database: "app",
		DriverArgs: map[string]string{"sslpassword": "t0ps3cr3t", "sslmode": "disable"}}
	got := config.Secrets(c)
	slices.Sort(got)
	if want := []string{"hunter2hunter2", "t0ps3cr3t"}; !slices.Equal(got, want) {
		t.Errorf("Secrets = %q; want %q", got, want)
	}
	r, err := config.Resolve(c)
	if err != nil {
		t.Fatal(err)
	}
	u := config.RedactedURL(r)
	if strings.Contains(u, "hunter2") || strings.Contains(u, "t0ps3cr3t") || !strings.Contains(u, "app:"+config.Mask+"@localhost:5432/app") {
		t.Errorf("RedactedURL = %s; want the password and sslpassword masked, host and port defaulted", u)
	}
	if s := config.Secrets(config.Config{Adapter: "sqlite", Database: ":memory:"}); len(s) != 0 {
		t.Errorf("Secrets of a config without any = %q", s)
	}
}
