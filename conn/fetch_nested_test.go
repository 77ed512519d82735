package conn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/testcontainers"
)

type shopUsersTable struct {
	expr.Table
	ID   expr.Column[int64]    `db:"id"`
	Name expr.Column[string]   `db:"name"`
	Nick expr.Nullable[string] `db:"nick"`
}

type shopOrdersTable struct {
	expr.Table
	ID     expr.Column[int64]  `db:"id"`
	UserID expr.Column[int64]  `db:"user_id"`
	Total  expr.Column[string] `db:"total"`
}

var (
	shopUsers  = expr.NewTable[shopUsersTable]("shop_users")
	shopOrders = expr.NewTable[shopOrdersTable]("shop_orders")
)

type shopUser struct {
	ID   int64   `db:"id"`
	Name string  `db:"name"`
	Nick *string `db:"nick"`
}

type shopOrder struct {
	ID     int64
	UserID int64 // untagged: takes user_id, under the prefix too
	Total  string
}

// shopRow is a LEFT JOIN's row: the user always there, the order only when one matched.
type shopRow struct {
	User  shopUser   `db:"user"`
	Order *shopOrder `db:"order"`
}

// shopDB makes users ann (two orders), bob (none) and cy (one).
func shopDB(t *testing.T, tdb *testcontainers.Database) *conn.DB {
	db := openT(t, tdb)
	mustExecAll(t, db,
		`CREATE TABLE shop_users (id bigint PRIMARY KEY, name varchar(50) NOT NULL, nick varchar(50))`,
		`CREATE TABLE shop_orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total varchar(20) NOT NULL)`,
		`INSERT INTO shop_users VALUES (1, 'ann', 'annie'), (2, 'bob', NULL), (3, 'cy', NULL)`,
		`INSERT INTO shop_orders VALUES (10, 1, '9.50'), (11, 1, '20.00'), (12, 3, '7.25')`)
	return db
}

func shopJoin() *builder.SelectStmt {
	u, o := expr.As(shopUsers, "user"), expr.As(shopOrders, "order")
	return builder.Select(expr.Prefixed(u), expr.Prefixed(o)).
		From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).
		OrderBy(u.ID.Asc(), o.ID.Asc())
}

func checkShopRows(t *testing.T, rows []shopRow) {
	t.Helper()
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4: %+v", len(rows), rows)
	}
	ann, ann2, bob, cy := rows[0], rows[1], rows[2], rows[3]
	if ann.User.ID != 1 || ann.User.Name != "ann" || ann.User.Nick == nil || *ann.User.Nick != "annie" {
		t.Errorf("user of row 1 = %+v", ann.User)
	}
	if ann.Order == nil || *ann.Order != (shopOrder{ID: 10, UserID: 1, Total: "9.50"}) {
		t.Errorf("order of row 1 = %+v", ann.Order)
	}
	if ann2.Order == nil || ann2.Order.ID != 11 || ann2.Order == ann.Order {
		t.Errorf("order of row 2 = %+v (a new struct for each row)", ann2.Order)
	}
	if bob.User.Name != "bob" || bob.User.Nick != nil || bob.Order != nil {
		t.Errorf("bob's row = %+v %+v; want no order: a LEFT JOIN without a match is a nil pointer", bob.User, bob.Order)
	}
	if cy.Order == nil || cy.Order.Total != "7.25" || cy.Order.UserID != 3 {
		t.Errorf("cy's order = %+v", cy.Order)
	}
}

// TestFetchNestedStructs: a join scans into nested structs, a value one for the inner side and a
// pointer one for the LEFT JOIN's side, nil when nothing matched; both tables' id columns go
// to their own struct. expr.Prefixed names the columns; so do aliases written by hand.
func TestFetchNestedStructs(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := shopDB(t, tdb)

		rows, err := conn.All[shopRow](ctx, db, shopJoin())
		if err != nil {
			t.Fatal(err)
		}
		checkShopRows(t, rows)

		ptrs, err := conn.All[*shopRow](ctx, db, shopJoin())
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]shopRow, len(ptrs))
		for i, p := range ptrs {
			vals[i] = *p
		}
		checkShopRows(t, vals)

		var each []shopRow
		for r, err := range conn.Each[shopRow](ctx, db, shopJoin()) {
			if err != nil {
				t.Fatal(err)
			}
			each = append(each, r)
		}
		checkShopRows(t, each)

		// By hand: the same columns under aliases written with As, in another order.
		u, o := shopUsers, shopOrders
		hand := builder.Select(o.Total.As("order.total"), u.ID.As("user.id"), o.ID.As("order.id"),
			u.Name.As("user.name"), u.Nick.As("user.nick"), o.UserID.As("order.user_id")).
			From(u).LeftJoin(o, o.UserID.EqExpr(u.ID)).OrderBy(u.ID.Asc(), o.ID.Asc())
		rows, err = conn.All[shopRow](ctx, db, hand)
		if err != nil {
			t.Fatal(err)
		}
		checkShopRows(t, rows)

		one, err := conn.One[shopRow](ctx, db, shopJoin().Where(expr.As(shopUsers, "user").ID.Eq(2)))
		if err != nil || one.Order != nil || one.User.Name != "bob" {
			t.Errorf("One = %+v, %v", one, err)
		}
	})
}

// TestFetchNestedTwoLevels: a pointer struct inside a pointer struct is there when any of its
// columns, or of the one inside it, is not NULL.
func TestFetchNestedTwoLevels(t *testing.T) {
	type team struct {
		Name string `db:"name"`
	}
	type member struct {
		ID   int64 `db:"id"`
		Team *team `db:"team"`
	}
	type row struct {
		Member *member `db:"member"`
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := openT(t, tdb)
		sel := `SELECT 1 AS "member.id", 'red' AS "member.team.name"
			UNION ALL SELECT 2, NULL
			UNION ALL SELECT NULL, NULL`
		if engine(db) == "mysql" || engine(db) == "mariadb" {
			sel = strings.ReplaceAll(sel, `"`, "`")
		}
		rows, err := conn.All[row](ctx, db, conn.SQL(sel))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows", len(rows))
		}
		if m := rows[0].Member; m == nil || m.ID != 1 || m.Team == nil || m.Team.Name != "red" {
			t.Errorf("row 1 = %+v", m)
		}
		if m := rows[1].Member; m == nil || m.ID != 2 || m.Team != nil {
			t.Errorf("row 2 = %+v, want member 2 with no team", m)
		}
		if m := rows[2].Member; m != nil {
			t.Errorf("row 3 = %+v, want nil: all its columns are NULL", m)
		}
		// A team with no member id: the member is there (its team is), so its int64 id
		// cannot be NULL: an error naming the column, not a silent zero.
		_, err = conn.All[row](ctx, db, conn.SQL(sel+" UNION ALL SELECT NULL, 'blue'"))
		var se *conn.ScanError
		if err == nil {
			t.Fatal("a NULL member.id beside a team was not an error")
		}
		if !errors.As(err, &se) || se.Column != "member.id" || !strings.Contains(err.Error(), "NULL") {
			t.Errorf("err = %v, want a ScanError on member.id", err)
		}
	})
}

// TestFetchNestedMistakes: a column for a nested struct whole and one for its field together, a
// prefix with no field, and a NULL in a present struct's non-nullable field are errors that
// name the column.
func TestFetchNestedMistakes(t *testing.T) {
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := shopDB(t, tdb)
		u := expr.As(shopUsers, "user")
		_, err := conn.All[shopRow](ctx, db, builder.Select(u.ID.As("user.id"), u.Name.As("user.nope")).From(u))
		if !errors.Is(err, conn.ErrNoField) || !strings.Contains(err.Error(), `"user.nope"`) {
			t.Errorf("unknown nested column: %v", err)
		}
		_, err = conn.All[shopRow](ctx, db, builder.Select(u.Name.As("order"), u.ID.As("order.id")).From(u))
		if !errors.Is(err, conn.ErrNoField) || !strings.Contains(err.Error(), "whole") {
			t.Errorf("a struct whole and one of its fields: %v", err)
		}
		// bob has no nick: NULL into a string of a present struct.
		type strict struct {
			User *struct {
				Name string `db:"name"`
				Nick string `db:"nick"`
			} `db:"user"`
		}
		_, err = conn.All[strict](ctx, db, builder.Select(u.Name.As("user.name"), u.Nick.As("user.nick")).From(u).Where(u.ID.Eq(2)))
		var se *conn.ScanError
		if !errors.As(err, &se) || se.Column != "user.nick" {
			t.Errorf("NULL into a string of a present struct: %v", err)
		}
	})
}

// TestFetchNestedSelfJoin: a struct holding a pointer to its own type (an employee's manager)
// nests one level: "manager.id" fills Manager.ID.
func TestFetchNestedSelfJoin(t *testing.T) {
	type employee struct {
		ID      int64     `db:"id"`
		Name    string    `db:"name"`
		Manager *employee `db:"manager"`
	}
	testcontainers.ForEach(t, func(t *testing.T, tdb *testcontainers.Database) {
		ctx := t.Context()
		db := shopDB(t, tdb)
		e, m := expr.As(shopUsers, "e"), expr.As(shopUsers, "manager")
		q := builder.Select(e.ID, e.Name, expr.Prefixed(m)).From(e).
			LeftJoin(m, m.ID.EqExpr(expr.Sub(e.ID, expr.Val[int64](1)))).OrderBy(e.ID.Asc())
		rows, err := conn.All[employee](ctx, db, q)
		if err == nil || !strings.Contains(err.Error(), "manager.nick") {
			t.Fatalf("a column the struct lacks (nick): %v", err)
		}
		q = builder.Select(e.ID, e.Name, m.ID.As("manager.id"), m.Name.As("manager.name")).From(e).
			LeftJoin(m, m.ID.EqExpr(expr.Sub(e.ID, expr.Val[int64](1)))).OrderBy(e.ID.Asc())
		rows, err = conn.All[employee](ctx, db, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0].Manager != nil || rows[1].Manager == nil || rows[1].Manager.Name != "ann" || rows[2].Manager.ID != 2 {
			t.Errorf("rows = %+v", rows)
		}
	})
}
