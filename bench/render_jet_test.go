package bench

import (
	. "github.com/go-jet/jet/v2/postgres" // jet's documented style: the SQL builder dot-imported
)

// go-jet/jet: the table types jet's generator writes (trimmed to what the benchmark uses),
// typed literals (Int, Bool, String, TimestampzT) for values, Sql() for text and arguments.
// jet aliases every projected column as "table.column" for its result mapping, and casts some
// literals (Int32 as ::integer); the equivalence test removes both.

type jetUsersTable struct {
	Table
	ID        ColumnInteger
	Name      ColumnString
	Email     ColumnString
	Active    ColumnBool
	CreatedAt ColumnTimestampz
	Visits    ColumnInteger
}

func newJetUsersTable(schemaName, tableName, alias string) *jetUsersTable {
	var (
		id        = IntegerColumn("id")
		name      = StringColumn("name")
		email     = StringColumn("email")
		active    = BoolColumn("active")
		createdAt = TimestampzColumn("created_at")
		visits    = IntegerColumn("visits")
	)
	return &jetUsersTable{
		Table: NewTable(schemaName, tableName, alias, id, name, email, active, createdAt, visits),
		ID:    id, Name: name, Email: email, Active: active, CreatedAt: createdAt, Visits: visits,
	}
}

type jetOrdersTable struct {
	Table
	ID     ColumnInteger
	UserID ColumnInteger
	Total  ColumnFloat
}

func newJetOrdersTable(schemaName, tableName, alias string) *jetOrdersTable {
	var (
		id     = IntegerColumn("id")
		userID = IntegerColumn("user_id")
		total  = FloatColumn("total")
	)
	return &jetOrdersTable{
		Table: NewTable(schemaName, tableName, alias, id, userID, total),
		ID:    id, UserID: userID, Total: total,
	}
}

var (
	jetUsers = newJetUsersTable("", "users", "")
	jetU     = newJetUsersTable("", "users", "u")
	jetO     = newJetOrdersTable("", "orders", "o")
)

func jetSQL(s Statement) (string, []any, error) {
	q, args := s.Sql()
	return q, args, nil
}

var jetRender = renderer{name: "jet", bindsLimit: true, normalise: `"t.c" column aliases; the table's name qualifying columns; ::integer cast of an int32; parentheses; a trailing ";"; LIMIT and OFFSET bound`, q: [6]renderFunc{
	func(int) (string, []any, error) {
		u := jetUsers
		return jetSQL(SELECT(u.ID, u.Name, u.Email).FROM(u).WHERE(u.ID.EQ(Int(benchID))))
	},
	func(int) (string, []any, error) {
		u, o := jetU, jetO
		return jetSQL(SELECT(u.ID, u.Name, COUNT(o.ID)).
			FROM(u.LEFT_JOIN(o, o.UserID.EQ(u.ID))).
			WHERE(u.Active.EQ(Bool(benchActive)).
				AND(u.CreatedAt.GT(TimestampzT(benchTime))).
				AND(u.Name.LIKE(String(benchPattern)))).
			GROUP_BY(u.ID, u.Name).HAVING(COUNT(o.ID).GT(Int(benchMin))).
			ORDER_BY(u.Name.DESC()).LIMIT(20).OFFSET(40))
	},
	func(int) (string, []any, error) {
		u := jetUsers
		return jetSQL(u.INSERT(u.Name, u.Email, u.Active).VALUES(benchName, benchEmail, benchActive).RETURNING(u.ID))
	},
	func(int) (string, []any, error) {
		u := jetUsers
		return jetSQL(u.UPDATE().SET(u.Name.SET(String(benchName)), u.Email.SET(String(benchEmail))).WHERE(u.ID.EQ(Int(benchID))))
	},
	func(int) (string, []any, error) {
		u := jetUsers
		ids := make([]Expression, len(benchIDs))
		for i, id := range benchIDs {
			ids[i] = Int(id)
		}
		return jetSQL(SELECT(u.ID).FROM(u).WHERE(u.ID.IN(ids...)))
	},
	func(n int) (string, []any, error) {
		u := jetUsers
		return jetSQL(SELECT(u.ID, u.Name, u.Email).FROM(u).
			WHERE(u.Active.EQ(Bool(benchActive)).AND(u.Name.LIKE(String(benchPattern))).AND(u.Visits.GT_EQ(Int32(benchVisits)))).
			ORDER_BY(u.CreatedAt.DESC()).LIMIT(int64(n)))
	},
}}
