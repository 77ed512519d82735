package conformance

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/typedsql/typedsql/testcontainers"
)

// A typeCase writes values of one Go type into a column of the engine's matching SQL type and
// reads them back. Column types are what typedsql maps the Go type to on each engine; an engine
// with no entry does not run the case (the case is dialect-specific).
type typeCase struct {
	name  string
	types colTypes
	run   func(t *testing.T, db *testcontainers.Database, colType string)
}

type colTypes map[testcontainers.Engine]string

const (
	postgres = testcontainers.EnginePostgres
	mysql    = testcontainers.EngineMySQL
	sqlite   = testcontainers.EngineSQLite
)

// roundTrip writes each value and a NULL, then checks that
//   - each value reads back equal (by eq) into a T and into a sql.Null[T],
//   - the NULL reads back as NULL, and no value is stored as NULL,
//   - with lookup, "WHERE v = ?" with the value finds its row (the stored value compares equal
//     to the bound one on the server, which is what col.Eq(v) relies on).
func roundTrip[T any](name string, types colTypes, lookup bool, eq func(a, b T) bool, values ...T) typeCase {
	return typeCase{name: name, types: types, run: func(t *testing.T, db *testcontainers.Database, colType string) {
		ctx := t.Context()
		exec(t, db, fmt.Sprintf("CREATE TABLE rt (id INT PRIMARY KEY, v %s NULL)", colType))
		ins := rebind(db, "INSERT INTO rt (id, v) VALUES (?, ?)")
		for i, v := range values {
			if _, err := db.SQL.ExecContext(ctx, ins, i+1, v); err != nil {
				t.Fatalf("insert value %d (%s): %v", i+1, show(v), err)
			}
		}
		nullID := len(values) + 1
		if _, err := db.SQL.ExecContext(ctx, ins, nullID, nil); err != nil {
			t.Fatalf("insert NULL: %v", err)
		}

		rows, err := db.SQL.QueryContext(ctx, "SELECT id, v, v IS NULL FROM rt ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int
			var got sql.Null[T]
			var isNull bool
			if err := rows.Scan(&id, &got, &isNull); err != nil {
				t.Fatalf("scan row %d: %v", n+1, err)
			}
			n++
			if id == nullID {
				if got.Valid || !isNull {
					t.Errorf("NULL read back as %s (IS NULL: %v)", show(got.V), isNull)
				}
				continue
			}
			want := values[id-1]
			if !got.Valid || isNull {
				t.Errorf("value %d (%s) read back as NULL", id, show(want))
			} else if !eq(want, got.V) {
				t.Errorf("value %d: wrote %s, read %s", id, show(want), show(got.V))
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != nullID {
			t.Fatalf("read %d rows, want %d", n, nullID)
		}

		// Into a plain T too: the scan path without sql.Null.
		sel := rebind(db, "SELECT v FROM rt WHERE id = ?")
		for i, want := range values {
			var got T
			if err := db.SQL.QueryRowContext(ctx, sel, i+1).Scan(&got); err != nil {
				t.Fatalf("scan value %d into %T: %v", i+1, got, err)
			}
			if !eq(want, got) {
				t.Errorf("value %d into %T: wrote %s, read %s", i+1, got, show(want), show(got))
			}
		}

		if !lookup {
			return
		}
		find := rebind(db, "SELECT id FROM rt WHERE v = ?")
		for i, v := range values {
			ids := queryInts(t, db, find, v)
			if !slices.Contains(ids, i+1) {
				t.Errorf("WHERE v = %s found rows %v, want %d among them", show(v), ids, i+1)
			}
		}
	}}
}

func equal[T comparable](a, b T) bool { return a == b }

func TestTypeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range typeCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, e := range testcontainers.Engines {
				colType, ok := tc.types[e]
				if !ok {
					continue // a dialect-specific case: not a skip, the case does not exist there
				}
				t.Run(string(e), func(t *testing.T) {
					t.Parallel()
					tc.run(t, testcontainers.Open(t, e), colType)
				})
			}
		})
	}
}

func typeCases() []typeCase {
	ints := func(pg, my string) colTypes { return colTypes{postgres: pg, mysql: my, sqlite: "INTEGER"} }
	utc := time.UTC
	india := time.FixedZone("IST", 5*3600+30*60)
	pacific := time.FixedZone("PST", -8*3600)
	random := make([]byte, 256<<10)
	for i := range random {
		random[i] = byte(rand.IntN(256))
	}
	return []typeCase{
		roundTrip("bool", colTypes{postgres: "BOOLEAN", mysql: "BOOLEAN", sqlite: "BOOLEAN"}, true, equal, true, false),

		roundTrip("int8", ints("SMALLINT", "TINYINT"), true, equal[int8], math.MinInt8, -1, 0, 1, math.MaxInt8),
		roundTrip("int16", ints("SMALLINT", "SMALLINT"), true, equal[int16], math.MinInt16, 0, math.MaxInt16),
		roundTrip("int32", ints("INTEGER", "INT"), true, equal[int32], math.MinInt32, 0, math.MaxInt32),
		roundTrip("int64", ints("BIGINT", "BIGINT"), true, equal[int64],
			math.MinInt64, -1, 0, 1<<53+1, math.MaxInt64-1, math.MaxInt64),
		roundTrip("int", ints("BIGINT", "BIGINT"), true, equal[int], math.MinInt, 0, math.MaxInt),
		roundTrip("uint8", ints("SMALLINT", "TINYINT UNSIGNED"), true, equal[uint8], 0, 1, math.MaxUint8),
		roundTrip("uint16", ints("INTEGER", "SMALLINT UNSIGNED"), true, equal[uint16], 0, math.MaxUint16),
		roundTrip("uint32", ints("BIGINT", "INT UNSIGNED"), true, equal[uint32], 0, math.MaxUint32),
		// database/sql refuses uint64 values with the high bit set (driver.DefaultParameterConverter);
		// up to MaxInt64 they work everywhere.
		roundTrip("uint64", ints("BIGINT", "BIGINT UNSIGNED"), true, equal[uint64], 0, math.MaxInt64),
		// go-sql-driver/mysql converts uint64 itself, so BIGINT UNSIGNED takes the full range.
		roundTrip("uint64 full range", colTypes{mysql: "BIGINT UNSIGNED"}, true, equal[uint64], 1<<63, math.MaxUint64),

		// No lookup for floats: WHERE v = ? on a FLOAT column compares a double with the single
		// precision value on MySQL, which is MySQL's documented behaviour, not a round-trip loss.
		// float32 is DOUBLE on MySQL: a FLOAT column comes back through the text protocol (every
		// query without arguments) with 6 significant digits, 3.1415927 as 3.14159.
		roundTrip("float32", colTypes{postgres: "REAL", mysql: "DOUBLE", sqlite: "REAL"}, false, equal[float32],
			0, 1.5, -0.25, 3.1415927, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32*(1<<23)),
		roundTrip("float64", colTypes{postgres: "DOUBLE PRECISION", mysql: "DOUBLE", sqlite: "REAL"}, false, equal[float64],
			0, 0.1, 1.0/3, -2.5e-300, math.MaxFloat64, -math.MaxFloat64, math.Pi),
		// Infinities are PostgreSQL's only: MySQL has no infinite DOUBLE, SQLite none it returns as REAL.
		roundTrip("float64 infinities", colTypes{postgres: "DOUBLE PRECISION"}, true, equal[float64],
			math.Inf(1), math.Inf(-1)),

		roundTrip("string", colTypes{postgres: "TEXT", mysql: "TEXT", sqlite: "TEXT"}, true, equal[string],
			"", "a", " padded ", "it's \"quoted\" \\ back`tick; -- not a comment",
			"line\nbreak\ttab\r", "héllo wörld ✓ 日本語 🎉", strings.Repeat("long ", 2000)),
		roundTrip("string in VARCHAR", colTypes{postgres: "VARCHAR(50)", mysql: "VARCHAR(50)", sqlite: "VARCHAR(50)"},
			true, equal[string], "", "x", "🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉"),

		roundTrip("[]byte", colTypes{postgres: "BYTEA", mysql: "LONGBLOB", sqlite: "BLOB"}, true, bytes.Equal,
			[]byte{}, []byte{0}, []byte{0, 0, 0}, []byte{0, 0xff, 0x7f, 0x80, 0, 'a', '\'', '\\'}, random),

		roundTrip("time.Time", colTypes{postgres: "TIMESTAMPTZ", mysql: "DATETIME(6)", sqlite: "DATETIME"}, true,
			time.Time.Equal,
			time.Date(2024, 3, 10, 2, 30, 45, 123456000, utc),
			time.Date(2024, 3, 10, 8, 0, 0, 1000, india),
			time.Date(2023, 12, 31, 23, 59, 59, 999999000, pacific),
			time.Date(1969, 7, 20, 20, 17, 40, 0, utc),
			time.Date(1901, 1, 1, 0, 0, 0, 0, utc),
			time.Date(2999, 12, 31, 23, 59, 59, 999999000, utc),
			time.Now().Round(time.Microsecond)),

		roundTrip("json.RawMessage", colTypes{postgres: "JSONB", mysql: "JSON", sqlite: "TEXT"}, false, jsonEqual,
			json.RawMessage(`{"a":[1,2.5,"x"],"b":null,"c":{"d":true,"e":"é \" \\ \u00e9"}}`),
			json.RawMessage(`[]`), json.RawMessage(`{}`), json.RawMessage(`"just a string"`),
			json.RawMessage(`9007199254740993`), json.RawMessage(`[{"deep":[[[]]]}]`)),
		// PostgreSQL rejects \u0000 in JSONB and JSON ("unsupported Unicode escape sequence").
		roundTrip("json.RawMessage with \\u0000", colTypes{mysql: "JSON", sqlite: "TEXT"}, false, jsonEqual,
			json.RawMessage(`{"nul":"a\u0000b"}`)),
		// The JSON kept as text where the engine keeps it (PostgreSQL JSON, SQLite TEXT).
		roundTrip("json.RawMessage verbatim", colTypes{postgres: "JSON", sqlite: "TEXT"}, false, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) },
			json.RawMessage(`{ "b" : 1, "a" : [ 2 ] }`)),

		roundTrip("driver.Valuer/sql.Scanner (UUID)", colTypes{postgres: "UUID", mysql: "CHAR(36)", sqlite: "TEXT"}, true,
			equal[uuid], uuid{}, mustUUID("0b9c7c3e-9d5f-4c1a-8a3e-2f4b6d8e0a1c"), mustUUID("ffffffff-ffff-ffff-ffff-ffffffffffff")),
	}
}

// jsonEqual compares JSON documents by value, numbers exactly: engines normalise whitespace and
// key order (PostgreSQL JSONB, MySQL JSON), which does not change the document.
func jsonEqual(a, b json.RawMessage) bool {
	var va, vb any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// uuid is a user type that crosses database/sql only through driver.Valuer and sql.Scanner,
// as a UUID library's type does: written as text, read from text or 16 raw bytes.
type uuid [16]byte

func (u uuid) Value() (driver.Value, error) { return u.String(), nil }

func (u *uuid) Scan(src any) error {
	switch s := src.(type) {
	case string:
		return u.parse(s)
	case []byte:
		if len(s) == 16 {
			copy(u[:], s)
			return nil
		}
		return u.parse(string(s))
	}
	return fmt.Errorf("uuid: cannot scan %T", src)
}

func (u uuid) String() string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (u *uuid) parse(s string) error {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 || len(s) != 36 {
		return fmt.Errorf("uuid: %q is not a UUID", s)
	}
	copy(u[:], b)
	return nil
}

func mustUUID(s string) uuid {
	var u uuid
	if err := u.parse(s); err != nil {
		panic(err)
	}
	return u
}

// show prints a value for a failure message, shortening long ones.
func show(v any) string {
	var s string
	switch x := v.(type) {
	case time.Time:
		s = x.Format(time.RFC3339Nano)
	case []byte:
		s = fmt.Sprintf("%x (%d bytes)", x, len(x))
	case json.RawMessage:
		s = string(x)
	default:
		s = fmt.Sprintf("%#v", v)
	}
	if len(s) > 120 {
		s = s[:100] + fmt.Sprintf("... (%d more)", len(s)-100)
	}
	return s
}
