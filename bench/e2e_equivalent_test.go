package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/typedsql/typedsql/testcontainers"
)

// TestE2EEquivalent keeps the end-to-end benchmark honest: on every engine, every library's
// operations read the rows as they are stored, insert the row, and commit their ten updates,
// checked through database/sql.
func TestE2EEquivalent(t *testing.T) {
	for _, e := range testcontainers.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			env := setupE2E(t, e)
			for _, im := range env.impls(t) {
				t.Run(im.name, func(t *testing.T) {
					if im.one != nil {
						for _, id := range []int64{1, 3, 500, e2eRows} {
							got, err := im.one(ctx, id)
							if err != nil {
								t.Fatalf("one(%d): %v", id, err)
							}
							sameUser(t, fmt.Sprintf("one(%d)", id), got, seedUser(id))
						}
					}
					if im.all != nil {
						n, at, err := im.all(ctx)
						if err != nil || n != e2eRows {
							t.Fatalf("all: %d rows, %v", n, err)
						}
						for i := range n {
							sameUser(t, fmt.Sprintf("all[%d]", i), at(i), seedUser(int64(i+1)))
						}
					}
					if im.insert != nil {
						before := countInserts(t, env)
						u := seedUser(77)
						u.Name = "inserted by " + im.name
						if err := im.insert(ctx, &u); err != nil {
							t.Fatalf("insert: %v", err)
						}
						if after := countInserts(t, env); after != before+1 {
							t.Errorf("insert: bench_inserts has %d rows, had %d", after, before)
						}
						var got User
						err := env.sql.QueryRowContext(ctx, "SELECT id, name, email, active, created_at FROM bench_inserts WHERE name = "+env.ph(1), u.Name).
							Scan(&got.ID, &got.Name, &got.Email, &got.Active, &got.CreatedAt)
						if err != nil {
							t.Fatalf("reading the inserted row: %v", err)
						}
						u.ID = got.ID
						sameUser(t, "insert", got, u)
					}
					if im.tx10 != nil {
						var ids [10]int64
						var emails [10]string
						for k := range ids {
							ids[k] = int64(100 + 7*k)
							emails[k] = fmt.Sprintf("tx%d@%s.example", k, im.name)
						}
						if err := im.tx10(ctx, &ids, &emails); err != nil {
							t.Fatalf("tx10: %v", err)
						}
						for k, id := range ids {
							var email string
							if err := env.sql.QueryRowContext(ctx, "SELECT email FROM bench_users WHERE id = "+env.ph(1), id).Scan(&email); err != nil {
								t.Fatal(err)
							}
							if email != emails[k] {
								t.Errorf("tx10: row %d has email %q, want %q", id, email, emails[k])
							}
							emails[k] = seedEmails[id-1]
						}
						// As the benchmark does: the rows as they were set up.
						if err := im.tx10(ctx, &ids, &emails); err != nil {
							t.Fatalf("tx10: %v", err)
						}
					}
				})
			}
		})
	}
}

func sameUser(t *testing.T, what string, got, want User) {
	t.Helper()
	if got.ID != want.ID || got.Name != want.Name || got.Email != want.Email || got.Active != want.Active || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func countInserts(t *testing.T, env *e2eEnv) (n int) {
	t.Helper()
	if err := env.sql.QueryRow("SELECT COUNT(*) FROM bench_inserts").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
