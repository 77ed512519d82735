package conformance

import (
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/expr"
)

func insertCases() []stmtCase {
	u, c := users, counters
	erin := func(s *builder.InsertStmt) *builder.InsertStmt {
		return s.Values(u.Name.Set("erin"), u.Email.Set("erin@example.com"), u.Active.Set(true), u.Age.SetNull(),
			u.CreatedAt.Set(date(5)))
	}
	countersAfter := "SELECT name, hits FROM counters ORDER BY name"
	return []stmtCase{{
		name:      "INSERT one row",
		stmt:      func() builder.Statement { return erin(builder.InsertInto(u)) },
		affected:  n(1),
		after:     "SELECT id, name, email, active, age, created_at FROM users WHERE id > 4",
		afterRows: [][]any{{int64(5), "erin", "erin@example.com", true, nil, date(5)}},
	}, {
		name: "INSERT many rows",
		stmt: func() builder.Statement {
			return erin(builder.InsertInto(u)).
				Values(u.Name.Set("frank"), u.Email.SetNull(), u.Active.Set(false), u.Age.Set(52), u.CreatedAt.Set(date(6)))
		},
		affected:  n(2),
		after:     "SELECT id, name, email, active, age FROM users WHERE id > 4 ORDER BY id",
		afterRows: [][]any{{int64(5), "erin", "erin@example.com", true, nil}, {int64(6), "frank", nil, false, int64(52)}},
	}, {
		name: "INSERT ... SELECT",
		stmt: func() builder.Statement {
			return builder.InsertInto(c).FromSelect(builder.Select().From(u).Where(u.Active.Eq(true)),
				c.Name.SetExpr(u.Name), c.Hits.SetExpr(u.ID))
		},
		affected: n(3),
		after:    countersAfter,
		afterRows: [][]any{{"a", int64(1)}, {"alice", int64(1)}, {"b", int64(5)}, {"bob", int64(2)},
			{"dave", int64(4)}},
	}, {
		name:      "INSERT DEFAULT VALUES",
		stmt:      func() builder.Statement { return builder.InsertInto(events).DefaultValues() },
		affected:  n(1),
		after:     "SELECT id, kind FROM events",
		afterRows: [][]any{{int64(1), "ping"}},
	}, {
		name:        "INSERT RETURNING",
		stmt:        func() builder.Statement { return erin(builder.InsertInto(u)).Returning(u.ID, u.Name, u.Age) },
		rows:        [][]any{{int64(5), "erin", nil}},
		unsupported: map[string]string{"mysql": "RETURNING"},
		after:       "SELECT count(*) FROM users",
		afterRows:   ids(5),
	}, {
		name: "upsert: ON CONFLICT DO NOTHING / ON DUPLICATE KEY UPDATE no-op",
		stmt: func() builder.Statement {
			return builder.InsertInto(c).Values(c.Name.Set("a"), c.Hits.Set(100)).Values(c.Name.Set("c"), c.Hits.Set(7)).
				OnConflict(c.Name).DoNothing()
		},
		affected:  n(1),
		after:     countersAfter,
		afterRows: [][]any{{"a", int64(1)}, {"b", int64(5)}, {"c", int64(7)}},
	}, {
		name: "upsert: DO UPDATE with the excluded row",
		stmt: func() builder.Statement {
			return builder.InsertInto(c).Values(c.Name.Set("a"), c.Hits.Set(100)).Values(c.Name.Set("c"), c.Hits.Set(7)).
				OnConflict(c.Name).DoUpdate(c.Hits.SetExpr(expr.Add(c.Hits, expr.Excluded(c.Hits))))
		},
		// MySQL counts an updated row twice.
		affected:   n(2),
		affectedOn: map[string]int64{"mysql": 3, "mariadb": 3},
		after:      countersAfter,
		afterRows:  [][]any{{"a", int64(101)}, {"b", int64(5)}, {"c", int64(7)}},
	}, {
		name: "INSERT IGNORE / OR IGNORE / ON CONFLICT DO NOTHING",
		stmt: func() builder.Statement {
			return builder.InsertInto(c).Values(c.Name.Set("a"), c.Hits.Set(9)).Values(c.Name.Set("d"), c.Hits.Set(4)).Ignore()
		},
		affected:  n(1),
		after:     countersAfter,
		afterRows: [][]any{{"a", int64(1)}, {"b", int64(5)}, {"d", int64(4)}},
	}, {
		name:    "INSERT without values is an error",
		stmt:    func() builder.Statement { return builder.InsertInto(c) },
		invalid: "INSERT without VALUES",
	}, {
		name: "WITH ... INSERT ... SELECT",
		stmt: func() builder.Statement {
			sums := builder.Select(orders.UserID, expr.Sum(orders.Amount)).From(orders).GroupBy(orders.UserID)
			return builder.InsertInto(c).With(builder.CTE(totals, sums)).
				FromSelect(builder.Select().From(totals).Where(totals.Total.Gt(300)), c.Name.SetExpr(expr.Cast[string](totals.UserID)),
					c.Hits.SetExpr(totals.Total))
		},
		affected:    n(2),
		after:       countersAfter,
		afterRows:   [][]any{{"1", int64(350)}, {"4", int64(320)}, {"a", int64(1)}, {"b", int64(5)}},
		unsupported: map[string]string{"mysql": "WITH", "mariadb": "WITH"},
	}}
}

func updateCases() []stmtCase {
	u, o := users, orders
	ordersAfter := "SELECT id, amount, status FROM orders ORDER BY id"
	return []stmtCase{{
		name: "UPDATE SET values and NULL WHERE",
		stmt: func() builder.Statement {
			return builder.Update(u).Set(u.Name.Set("alicia"), u.Email.SetNull()).Where(u.ID.Eq(1))
		},
		affected: n(1),
		after:    "SELECT id, name, email FROM users ORDER BY id",
		afterRows: [][]any{{int64(1), "alicia", nil}, {int64(2), "bob", nil}, {int64(3), "carol", "carol@example.com"},
			{int64(4), "dave", "dave@example.com"}},
	}, {
		name: "UPDATE SET expression",
		stmt: func() builder.Statement {
			return builder.Update(o).Set(o.Amount.SetExpr(expr.Mul(o.Amount, expr.Val[int64](2)))).Where(o.Status.Eq("paid"))
		},
		affected: n(3),
		after:    ordersAfter,
		afterRows: [][]any{{int64(1), int64(200), "paid"}, {int64(2), int64(500), "paid"}, {int64(3), int64(75), "pending"},
			{int64(4), int64(600), "paid"}, {int64(5), int64(20), "cancelled"}},
	}, {
		name: "UPDATE with another table: FROM (PostgreSQL, SQLite) / multi-table (MySQL)",
		stmt: func() builder.Statement {
			return builder.Update(o).Set(o.Status.Set("vip")).From(u).Where(o.UserID.EqExpr(u.ID), u.Name.Eq("dave"))
		},
		affected: n(2),
		after:    ordersAfter,
		afterRows: [][]any{{int64(1), int64(100), "paid"}, {int64(2), int64(250), "paid"}, {int64(3), int64(75), "pending"},
			{int64(4), int64(300), "vip"}, {int64(5), int64(20), "vip"}},
	}, {
		// The ON condition binds an argument before the SET values on MySQL and after them
		// elsewhere: the placeholders must follow.
		name: "UPDATE with JOIN (MySQL) / FROM and the join condition in WHERE (PostgreSQL, SQLite)",
		stmt: func() builder.Statement {
			return builder.Update(o).Set(o.Status.Set("vip"), o.Note.SetExpr(u.Name)).
				Join(u, expr.And(u.ID.EqExpr(o.UserID), u.Name.Ne("alice"))).Where(o.Amount.Gt(50))
		},
		affected: n(2),
		after:    "SELECT id, status, note FROM orders ORDER BY id",
		afterRows: [][]any{{int64(1), "paid", nil}, {int64(2), "paid", nil}, {int64(3), "vip", "bob"},
			{int64(4), "vip", "dave"}, {int64(5), "cancelled", nil}},
	}, {
		name: "UPDATE RETURNING",
		stmt: func() builder.Statement {
			return builder.Update(u).Set(u.Active.Set(false), u.Age.SetExpr(expr.Add[int64](u.Age, expr.Val[int64](1)))).
				Where(u.ID.Eq(2)).Returning(u.ID, u.Active, u.Age)
		},
		rows:        [][]any{{int64(2), false, int64(26)}},
		unsupported: map[string]string{"mysql": "RETURNING", "mariadb": "RETURNING"},
		after:       "SELECT active, age FROM users WHERE id = 2",
		afterRows:   [][]any{{false, int64(26)}},
	}, {
		name: "UPDATE ORDER BY LIMIT",
		stmt: func() builder.Statement {
			return builder.Update(o).Set(o.Status.Set("top")).OrderBy(o.Amount.Desc()).Limit(1)
		},
		affected:    n(1),
		after:       "SELECT id FROM orders WHERE status = 'top'",
		afterRows:   ids(4),
		unsupported: map[string]string{"postgres": "LIMIT", "sqlite": "LIMIT"},
	}, {
		name:    "UPDATE without SET is an error",
		stmt:    func() builder.Statement { return builder.Update(u).Where(u.ID.Eq(1)) },
		invalid: "no SET",
	}, {
		name: "UPDATE reserved word and quote characters as identifiers",
		stmt: func() builder.Statement {
			return builder.Update(odd).Set(odd.DQuote.Set("z"), odd.BQuote.Set("w")).Where(odd.Select.Eq(1))
		},
		affected:  n(1),
		after:     "SELECT * FROM odd",
		afterRows: [][]any{{int64(1), "z", "w"}},
	}, {
		name: "WITH ... UPDATE",
		stmt: func() builder.Statement {
			sums := builder.Select(o.UserID, expr.Sum(o.Amount)).From(o).GroupBy(o.UserID)
			big := builder.SelectOne(totals.UserID).From(totals).Where(totals.Total.Gt(300))
			return builder.Update(u).With(builder.CTE(totals, sums)).Set(u.Active.Set(false)).Where(u.ID.InQuery(big))
		},
		affected:    n(2),
		after:       "SELECT id FROM users WHERE active = false ORDER BY id",
		afterRows:   ids(1, 3, 4),
		unsupported: map[string]string{"mysql": "WITH", "mariadb": "WITH"},
	}}
}

func deleteCases() []stmtCase {
	u, o := users, orders
	ordersAfter := "SELECT id FROM orders ORDER BY id"
	return []stmtCase{{
		name:      "DELETE WHERE",
		stmt:      func() builder.Statement { return builder.DeleteFrom(o).Where(o.Status.Eq("cancelled")) },
		affected:  n(1),
		after:     ordersAfter,
		afterRows: ids(1, 2, 3, 4),
	}, {
		name:      "DELETE every row",
		stmt:      func() builder.Statement { return builder.DeleteFrom(counters).AllRows() },
		affected:  n(2),
		after:     "SELECT name FROM counters",
		afterRows: none,
	}, {
		name: "DELETE with another table: USING (PostgreSQL) / multi-table (MySQL)",
		stmt: func() builder.Statement {
			return builder.DeleteFrom(o).Using(u).Where(o.UserID.EqExpr(u.ID), u.Name.Eq("alice"))
		},
		affected:    n(2),
		after:       ordersAfter,
		afterRows:   ids(3, 4, 5),
		unsupported: map[string]string{"sqlite": "USING"},
	}, {
		name:        "DELETE RETURNING",
		stmt:        func() builder.Statement { return builder.DeleteFrom(o).Where(o.UserID.Eq(4)).Returning(o.ID, o.Amount) },
		rows:        [][]any{{int64(4), int64(300)}, {int64(5), int64(20)}},
		unordered:   true,
		unsupported: map[string]string{"mysql": "RETURNING"},
		after:       ordersAfter,
		afterRows:   ids(1, 2, 3),
	}, {
		name:        "DELETE ORDER BY LIMIT",
		stmt:        func() builder.Statement { return builder.DeleteFrom(o).OrderBy(o.Amount.Asc()).Limit(2) },
		affected:    n(2),
		after:       ordersAfter,
		afterRows:   ids(1, 2, 4),
		unsupported: map[string]string{"postgres": "LIMIT", "sqlite": "LIMIT"},
	}, {
		name: "WITH ... DELETE",
		stmt: func() builder.Statement {
			sums := builder.Select(o.UserID, expr.Sum(o.Amount)).From(o).GroupBy(o.UserID)
			small := builder.SelectOne(totals.UserID).From(totals).Where(totals.Total.Lt(100))
			return builder.DeleteFrom(o).With(builder.CTE(totals, sums)).Where(o.UserID.InQuery(small))
		},
		affected:    n(1),
		after:       ordersAfter,
		afterRows:   ids(1, 2, 4, 5),
		unsupported: map[string]string{"mysql": "WITH", "mariadb": "WITH"},
	}}
}

func TestInsert(t *testing.T) { runStatementCases(t, insertCases()) }
func TestUpdate(t *testing.T) { runStatementCases(t, updateCases()) }
func TestDelete(t *testing.T) { runStatementCases(t, deleteCases()) }
