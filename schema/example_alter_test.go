package schema_test

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/conn"
	"github.com/typedsql/typedsql/expr"
	"github.com/typedsql/typedsql/schema"
)

// Alter is what a Go migration calls: the ops run with SQLite's own ALTER TABLE where it has
// the change, and as one table rebuild where it does not (a default, a constraint).
func ExampleAlter() {
	ctx := context.Background()
	db, err := conn.Open(ctx, "sqlite:///:memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := schema.Create(ctx, db, Authors, Posts); err != nil {
		fmt.Println(err)
		return
	}

	native := []schema.Op{
		schema.AddColumnOp[expr.Nullable[string]]("subtitle", ""),
		schema.AddIndexOp(schema.Index{Name: "ix_posts_title", Keys: schema.Keys("title")}),
	}
	plan, _ := schema.AlterPlan(ctx, db, "", "posts", native...)
	for _, s := range plan.SQL() {
		fmt.Println(s)
	}
	if err := schema.Alter(ctx, db, "", "posts", native...); err != nil {
		fmt.Println(err)
	}

	plan, _ = schema.AlterPlan(ctx, db, "", "posts", schema.AddCheckOp("ck_posts_subtitle", "subtitle <> ''"))
	fmt.Println(plan)
	// Output:
	// ALTER TABLE "posts" ADD COLUMN "subtitle" TEXT
	// CREATE INDEX "ix_posts_title" ON "posts" ("title")
	// rebuild table "posts": add check ck_posts_subtitle (subtitle <> '')
}
