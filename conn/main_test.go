package conn_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	_ "github.com/typedsql/typedsql/conn/mysql"
	_ "github.com/typedsql/typedsql/conn/postgres"
	_ "github.com/typedsql/typedsql/conn/sqlite"
	"github.com/typedsql/typedsql/testcontainers"
)

// TestMain removes any containers the harness started and then checks that no test left a
// goroutine behind: every DB a test opens must be closed, pools included.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := testcontainers.Purge(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines left behind:", err)
			code = 1
		}
	}
	os.Exit(code)
}
