package expr

// View marks a descriptor as a view's: embed it where a table's descriptor embeds Table. A view
// is read like a table, in FROM and JOIN; INSERT INTO, UPDATE and DELETE FROM take a Target, which
// a view is not, so writing to one does not compile:
//
//	type ActiveUsersView struct {
//		expr.View
//		ID   expr.Column[int64]  `db:"id"`
//		Name expr.Column[string] `db:"name"`
//	}
//
//	var ActiveUsers = expr.NewTable[ActiveUsersView]("active_users")
//
//	builder.Select(ActiveUsers.Name).From(ActiveUsers) // SELECT "active_users"."name" FROM "active_users"
//	builder.DeleteFrom(ActiveUsers)                    // compile error: ... does not implement expr.Target
//	                                                   // (wrong type for method isTableNotView)
//
// Engines can write through simple views; a descriptor that should be written through embeds
// Table instead.
type View struct {
	Table
}

// viewsAreReadOnly is the argument of View's isTableNotView, the word a compiler error shows
// when a view is given to INSERT INTO, UPDATE or DELETE FROM.
type viewsAreReadOnly struct{}

// isTableNotView shadows Table's with another signature, so a struct that embeds View does not
// satisfy Target.
func (View) isTableNotView(viewsAreReadOnly) {}
