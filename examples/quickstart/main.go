// Quickstart is a tour of typedsql on an in-memory SQLite database: it declares a schema of
// users and orders as Go types, then inserts, queries with a join and aggregates, updates,
// runs an atomic block with a nested savepoint, and deletes, printing each statement's SQL and
// what came back. It needs no set-up:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/typedsql/typedsql/builder"
	"github.com/typedsql/typedsql/conn"
	_ "github.com/typedsql/typedsql/conn/sqlite" // links SQLite: sqlite:// URLs
	"github.com/typedsql/typedsql/expr"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole tour, writing to w; main_test.go runs it too and compares the output.
func run(ctx context.Context, w io.Writer) error {
	// One in-memory database, shared by the DB's pooled connections, gone when it closes.
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	t := &tour{w: w, db: db}

	t.step("create the tables (plain SQL text, conn.SQL)")
	for _, ddl := range createSchema {
		if err := t.exec(ctx, conn.SQL(ddl)); err != nil {
			return err
		}
	}

	steps := []func(context.Context, *tour) error{
		insertRows, queryRows, updateRows, atomicBlock, deleteRows,
	}
	for _, step := range steps {
		if err := step(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func insertRows(ctx context.Context, t *tour) error {
	t.step("insert three users in one statement; RETURNING gives their ids")
	ids, err := all[int64](ctx, t, builder.InsertInto(Users).
		Values(Users.Name.Set("ann"), Users.Email.Set("ann@example.com"), Users.Active.Set(true)).
		Values(Users.Name.Set("bob"), Users.Email.SetNull(), Users.Active.Set(true)).
		Values(Users.Name.Set("cy"), Users.Email.Set("cy@example.com"), Users.Active.Set(false)).
		Returning(Users.ID))
	if err != nil {
		return err
	}
	t.printf("ids: %v", ids)
	ann, bob := ids[0], ids[1]

	t.step("insert orders")
	ins := builder.InsertInto(Orders).
		Values(Orders.UserID.Set(ann), Orders.Total.Set(120.0), Orders.Note.Set("gift wrap")).
		Values(Orders.UserID.Set(ann), Orders.Total.Set(35.5), Orders.Note.SetNull()).
		Values(Orders.UserID.Set(bob), Orders.Total.Set(9.99), Orders.Note.SetNull())
	if err := t.exec(ctx, ins); err != nil {
		return err
	}

	t.step("upsert: the email is taken (it is unique), so ann's row takes the new name")
	return t.exec(ctx, builder.InsertInto(Users).
		Values(Users.Name.Set("ann b."), Users.Email.Set("ann@example.com"), Users.Active.Set(true)).
		OnConflict(Users.Email).DoUpdate(Users.Name.SetExpr(expr.Excluded(Users.Name))))
}

func queryRows(ctx context.Context, t *tour) error {
	t.step("one row into a struct")
	byEmail := builder.Select(Users.ID, Users.Name, Users.Email, Users.Active).
		From(Users).Where(Users.Email.Eq("ann@example.com"))
	t.show(byEmail)
	// The debug form inlines values for reading; what runs binds them as parameters:
	sql, args, err := byEmail.Build(t.db.Dialect())
	if err != nil {
		return err
	}
	t.printf("runs as: %s  args: %q", sql, args)
	u, err := conn.One[User](ctx, t.db, byEmail)
	if err != nil {
		return err
	}
	t.printf("id=%d name=%q email=%s active=%t", u.ID, u.Name, deref(u.Email), u.Active)

	t.step("join and aggregates: orders and money spent per active user")
	// Aliases make a self-explaining join; COALESCE turns the SUM of no rows (NULL) into 0.
	us, o := expr.As(Users, "u"), expr.As(Orders, "o")
	spending, err := all[Spending](ctx, t, builder.Select(
		us.Name,
		expr.Count(o.ID).As("orders"),
		expr.CoalesceExpr(expr.Sum(o.Total), expr.Val(0.0)).As("spent")).
		From(us).LeftJoin(o, o.UserID.EqExpr(us.ID)).
		Where(us.Active.Eq(true)).
		GroupBy(us.ID, us.Name).
		OrderBy(us.Name.Asc()))
	if err != nil {
		return err
	}
	for _, s := range spending {
		t.printf("%-7s %d order(s) %8.2f", s.Name, s.Orders, s.Spent)
	}

	t.step("a typed subquery: users with an order over 100")
	big := builder.SelectOne(Orders.UserID).From(Orders).Where(Orders.Total.Gt(100))
	names, err := all[string](ctx, t, builder.Select(Users.Name).From(Users).
		Where(Users.ID.InQuery(big)))
	if err != nil {
		return err
	}
	t.printf("%v", names)

	t.step("one value")
	n, err := scalar[int64](ctx, t, builder.Select(expr.CountAll()).From(Orders).
		Where(Orders.Note.IsNull()))
	if err != nil {
		return err
	}
	t.printf("%d order(s) without a note", n)
	return nil
}

func updateRows(ctx context.Context, t *tour) error {
	t.step("update with a value and with an expression: 10% off bob's orders")
	if err := t.exec(ctx, builder.Update(Orders).
		Set(Orders.Total.SetExpr(expr.Mul(Orders.Total, expr.Val(0.9))), Orders.Note.Set("discounted")).
		Where(Orders.UserID.InQuery(builder.SelectOne(Users.ID).From(Users).Where(Users.Name.Eq("bob"))))); err != nil {
		return err
	}
	return t.exec(ctx, builder.Update(Users).Set(Users.Active.Set(true)).Where(Users.Name.Eq("cy")))
}

func atomicBlock(ctx context.Context, t *tour) error {
	t.step("an atomic block (a transaction) with a nested block (a savepoint) that fails")
	cy, err := scalar[int64](ctx, t, builder.Select(Users.ID).From(Users).Where(Users.Name.Eq("cy")))
	if err != nil {
		return err
	}
	// Statements use the block's connection when they get the ctx the block passes in.
	err = t.db.Atomic(ctx, func(ctx context.Context) error {
		if err := t.exec(ctx, builder.InsertInto(Orders).
			Values(Orders.UserID.Set(cy), Orders.Total.Set(42.0), Orders.Note.Set("first order"))); err != nil {
			return err
		}
		nested := t.db.Atomic(ctx, func(ctx context.Context) error {
			if err := t.exec(ctx, builder.InsertInto(Orders).
				Values(Orders.UserID.Set(cy), Orders.Total.Set(1000.0), Orders.Note.Set("typo"))); err != nil {
				return err
			}
			return errors.New("that total is a typo")
		})
		t.printf("nested block: %v -> rolled back to its savepoint, the outer block goes on", nested)
		return nil
	})
	if err != nil {
		return err
	}
	totals, err := all[float64](ctx, t, builder.Select(Orders.Total).From(Orders).
		Where(Orders.UserID.Eq(cy)).OrderBy(Orders.ID.Asc()))
	if err != nil {
		return err
	}
	t.printf("cy's orders after the commit: %v (the outer insert only)", totals)
	return nil
}

func deleteRows(ctx context.Context, t *tour) error {
	t.step("delete small orders, then the users left without orders")
	if err := t.exec(ctx, builder.DeleteFrom(Orders).Where(Orders.Total.Lt(10))); err != nil {
		return err
	}
	noOrders := expr.NotExists(builder.Select(Orders.ID).From(Orders).Where(Orders.UserID.EqExpr(Users.ID)))
	if err := t.exec(ctx, builder.DeleteFrom(Users).Where(noOrders)); err != nil {
		return err
	}

	t.step("what is left")
	users, err := all[User](ctx, t, builder.Select(Users.ID, Users.Name, Users.Email, Users.Active).
		From(Users).OrderBy(Users.ID.Asc()))
	if err != nil {
		return err
	}
	for _, u := range users {
		t.printf("%d %-7s %-16s active=%t", u.ID, u.Name, deref(u.Email), u.Active)
	}
	return nil
}
