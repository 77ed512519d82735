package expr

import "github.com/typedsql/typedsql/internal/render"

// The builder package's plumbing, unexported here so that this package's documentation shows
// applications only what they use, is handed to builder through render.Link (see there).
func init() {
	render.SetLink(&render.Link[Writer, Source, Assignment, AnyColumn]{
		DeclareCTE: (*Writer).declareCTE,

		WriteRef:        writeRef,
		WriteColumnName: (*Writer).writeColumnName,
		ReserveArgs:     (*Writer).reserveArgs,
		ColumnOfSource:  columnOfSource,
		AssignedArgs:    Assignment.args,
	})
}

// writeRef writes how columns refer to src, a table: its alias, else its name. It reports false,
// having written nothing, if src is not a table (a derived table has no name to refer by).
func writeRef(w *Writer, src Source) bool {
	t, ok := src.(interface{ writeRef(*Writer) })
	if ok {
		t.writeRef(w)
	}
	return ok
}
