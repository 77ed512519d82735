// Command noengine opens a SQLite, a MariaDB and a PostgreSQL URL in a program that imports conn but no engine package,
// and prints the error (conn's links_test.go runs it).
package main

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/conn"
)

func main() {
	ctx := context.Background()
	for _, u := range []string{"sqlite:///:memory:", "mariadb://app:hunter2hunter2@localhost/app", "postgres://app:hunter2hunter2@localhost/app"} {
		db, err := conn.Open(ctx, u)
		if err == nil {
			db.Close()
		}
		fmt.Println(err)
	}
}
