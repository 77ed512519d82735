package expr

import (
	"strings"
	"time"

	"github.com/typedsql/typedsql/dialect"
)

// TimeUnit is a unit of calendar time, for DateTrunc, DatePart and AddTime.
type TimeUnit uint8

// The units. Week is the ISO week, which starts on Monday.
const (
	Year TimeUnit = iota + 1
	Month
	Week
	Day
	Hour
	Minute
	Second
)

// timeUnits spells each unit per engine: PostgreSQL's field and make_interval argument,
// MySQL's INTERVAL unit, and the DATE_FORMAT and strftime patterns of a truncated time.
var timeUnits = [...]struct {
	pg, pgInterval, my, myTrunc, liteTrunc, liteModifier string
}{
	Year:   {"year", "years", "YEAR", "%Y-01-01", "%Y-01-01 00:00:00", " years"},
	Month:  {"month", "months", "MONTH", "%Y-%m-01", "%Y-%m-01 00:00:00", " months"},
	Week:   {"week", "weeks", "WEEK", "", "%Y-%m-%d 00:00:00", ""},
	Day:    {"day", "days", "DAY", "%Y-%m-%d", "%Y-%m-%d 00:00:00", " days"},
	Hour:   {"hour", "hours", "HOUR", "%Y-%m-%d %H:00:00", "%Y-%m-%d %H:00:00", " hours"},
	Minute: {"minute", "mins", "MINUTE", "%Y-%m-%d %H:%i:00", "%Y-%m-%d %H:%M:00", " minutes"},
	Second: {"second", "secs", "SECOND", "%Y-%m-%d %H:%i:%s", "%Y-%m-%d %H:%M:%S", " seconds"},
}

func (u TimeUnit) valid() bool { return u >= Year && u <= Second }

// timeForm returns the engine's way with times, failing the render when there is none.
func timeForm(w *Writer, what string) dialect.TimeForm {
	f := w.caps.Funcs.Time
	if f == dialect.TimeNone {
		w.Unsupported(what)
	}
	return f
}

// liteTime writes SQLite's text form of a computed time, the form the connection writes
// times in: UTC, "2006-01-02 15:04:05.999999999+00:00" without trailing zeros in the
// fraction, so that computed times compare and sort with stored ones. strftime's %f gives
// milliseconds, "05.250"; the rtrims take "05.250" to "05.25" and "05.000" to "05".
func liteTime(w *Writer, args func()) {
	w.Text("(RTRIM(RTRIM(STRFTIME('%Y-%m-%d %H:%M:%f', ")
	args()
	w.Text("), '0'), '.') || '+00:00')")
}

type dateTrunc struct {
	unit TimeUnit
	x    node
}

func (d *dateTrunc) writeNode(w *Writer) {
	if !d.unit.valid() {
		w.Fail(ErrInvalid, "DateTrunc with an unknown time unit")
		return
	}
	u := &timeUnits[d.unit]
	switch timeForm(w, "DateTrunc") {
	case dialect.TimeDateTrunc:
		w.Text("DATE_TRUNC('")
		w.Text(u.pg)
		w.Text("', ")
		d.x.write(w)
		w.Text(", 'UTC')")
	case dialect.TimeDateFormat:
		if d.unit == Week { // back to Monday: WEEKDAY is 0 on Monday
			w.Text("CAST(DATE_SUB(DATE(")
			d.x.write(w)
			w.Text("), INTERVAL WEEKDAY(")
			d.x.write(w)
			w.Text(") DAY) AS DATETIME(6))")
			return
		}
		w.Text("CAST(DATE_FORMAT(")
		d.x.write(w)
		w.Text(", '")
		w.Text(u.myTrunc)
		w.Text("') AS DATETIME(6))")
	case dialect.TimeStrftime:
		w.Text("STRFTIME('")
		w.Text(u.liteTrunc)
		w.Text("+00:00', ")
		d.x.write(w)
		if d.unit == Week { // six days back, then forward to a Monday: the week's Monday
			w.Text(", '-6 days', 'weekday 1'")
		}
		w.Char(')')
	}
}

// DateTrunc is the time x truncated to the start of its unit, in UTC: the month buckets of a
// report.
//
//	expr.DateTrunc(expr.Month, o.CreatedAt)
//	// PostgreSQL: DATE_TRUNC('month', "created_at", 'UTC')
//	// MySQL:      CAST(DATE_FORMAT(`created_at`, '%Y-%m-01') AS DATETIME(6))
//	// SQLite:     STRFTIME('%Y-%m-01 00:00:00+00:00', "created_at")
//
// On SQLite the result is text in the form the connection writes times in, so it compares
// and groups with stored times; conn's fetch functions read it into a time.Time (SQLite
// keeps no type for a computed column, and database/sql's own Scan would refuse the text).
func DateTrunc(unit TimeUnit, x Of[time.Time]) Expr[time.Time] {
	return newExpr[time.Time](dateTrunc{unit: unit, x: ofNode(x)})
}

type datePart struct {
	unit TimeUnit
	x    node
}

func (d *datePart) writeNode(w *Writer) {
	if !d.unit.valid() || d.unit == Week {
		w.Fail(ErrInvalid, "DatePart takes Year, Month, Day, Hour, Minute or Second (engines number weeks differently)")
		return
	}
	u := &timeUnits[d.unit]
	switch timeForm(w, "DatePart") {
	case dialect.TimeDateTrunc:
		// FLOOR: EXTRACT(second ...) has the fraction, which the cast would round.
		w.Text("CAST(FLOOR(EXTRACT(")
		w.Text(u.pg)
		w.Text(" FROM ")
		d.x.write(w)
		w.Text(" AT TIME ZONE 'UTC')) AS BIGINT)")
	case dialect.TimeDateFormat:
		w.Text("EXTRACT(")
		w.Text(u.my)
		w.Text(" FROM ")
		d.x.write(w)
		w.Char(')')
	case dialect.TimeStrftime:
		w.Text("CAST(STRFTIME('")
		w.Text(litePart[d.unit])
		w.Text("', ")
		d.x.write(w)
		w.Text(") AS INTEGER)")
	}
}

var litePart = [...]string{Year: "%Y", Month: "%m", Day: "%d", Hour: "%H", Minute: "%M", Second: "%S"}

// DatePart is one field of the time x in UTC, as a number: the year, the month (1-12), the
// day of the month, the hour, the minute or the whole second. Week fails to build: the
// engines number weeks differently.
//
//	expr.DatePart(expr.Year, o.CreatedAt)
//	// PostgreSQL: CAST(FLOOR(EXTRACT(year FROM "created_at" AT TIME ZONE 'UTC')) AS BIGINT)
//	// MySQL:      EXTRACT(YEAR FROM `created_at`)
//	// SQLite:     CAST(STRFTIME('%Y', "created_at") AS INTEGER)
func DatePart(unit TimeUnit, x Of[time.Time]) Expr[int64] {
	return newExpr[int64](datePart{unit: unit, x: ofNode(x)})
}

// addTime shifts a time by n units, n bound as an argument.
type addTime struct {
	x    node
	n    int64
	unit TimeUnit
}

func (a *addTime) writeNode(w *Writer) {
	if !a.unit.valid() {
		w.Fail(ErrInvalid, "AddTime with an unknown time unit")
		return
	}
	u := &timeUnits[a.unit]
	switch timeForm(w, "AddTime") {
	case dialect.TimeDateTrunc:
		// In UTC's wall clock, then back: timestamptz + interval keeps the session zone's
		// wall clock across its daylight-saving changes (a day is 23 hours there).
		w.Text("((")
		a.x.write(w)
		w.Text(" AT TIME ZONE 'UTC' + MAKE_INTERVAL(")
		w.Text(u.pgInterval)
		w.Text(" => ")
		w.Arg(a.n)
		w.Text(")) AT TIME ZONE 'UTC')")
	case dialect.TimeDateFormat:
		w.Text("DATE_ADD(")
		a.x.write(w)
		w.Text(", INTERVAL ")
		w.Arg(a.n)
		w.Char(' ')
		w.Text(u.my)
		w.Char(')')
	case dialect.TimeStrftime:
		liteTime(w, func() {
			a.x.write(w)
			if a.unit == Week {
				w.Text(", (")
				w.Arg(a.n)
				w.Text(" * 7) || ' days'")
				return
			}
			w.Text(", ")
			w.Arg(a.n)
			w.Text(" || '")
			w.Text(u.liteModifier)
			w.Char('\'')
			if a.unit == Month || a.unit == Year {
				// Jan 31 + 1 month is Feb 29 (the month's last day), as on PostgreSQL
				// and MySQL, not SQLite's default of Mar 2.
				w.Text(", 'floor'")
			}
		})
	}
}

// AddTime is the time x moved by n units (back for a negative n), n bound as an argument.
// A month or a year from the 31st lands on the last day of a shorter month on every engine
// (Jan 31 + 1 month = Feb 29 in 2024).
//
//	expr.AddTime(expr.Now(), -30, expr.Day)
//	// PostgreSQL: ((CURRENT_TIMESTAMP AT TIME ZONE 'UTC' + MAKE_INTERVAL(days => $1)) AT TIME ZONE 'UTC')
//	// MySQL:      DATE_ADD(UTC_TIMESTAMP(6), INTERVAL ? DAY)
//	// SQLite:     the shifted time as text in the connection's form, to the millisecond
func AddTime(x Of[time.Time], n int64, unit TimeUnit) Expr[time.Time] {
	return newExpr[time.Time](addTime{x: ofNode(x), n: n, unit: unit})
}

type now struct{}

func (now) writeNode(w *Writer) {
	switch timeForm(w, "Now") {
	case dialect.TimeDateTrunc:
		w.Text("CURRENT_TIMESTAMP")
	case dialect.TimeDateFormat:
		// The UTC wall clock, as the connection writes times into DATETIME columns;
		// NOW() would be the session's zone.
		w.Text("UTC_TIMESTAMP(6)")
	case dialect.TimeStrftime:
		liteTime(w, func() { w.Text("'now'") })
	}
}

// Now is the current time: CURRENT_TIMESTAMP on PostgreSQL (the transaction's start),
// UTC_TIMESTAMP(6) on MySQL, the current UTC time as text on SQLite.
//
//	builder.Select(o.ID).From(o).Where(o.CreatedAt.GtExpr(expr.AddTime(expr.Now(), -7, expr.Day)))
func Now() Expr[time.Time] { return Expr[time.Time]{&nowExprNode} }

// formatTime is a time written as text through a layout made of Go's reference fields.
type formatTime struct {
	x      node
	layout []layoutPart
	err    string
}

// layoutPart is a field of a layout (field != 0) or literal text between fields.
type layoutPart struct {
	field TimeUnit
	text  string
}

// layoutFields are the fields of Go's reference time FormatTime knows, longest first, and
// the separators it accepts between them.
var layoutFields = []struct {
	ref  string
	unit TimeUnit
}{{"2006", Year}, {"01", Month}, {"02", Day}, {"15", Hour}, {"04", Minute}, {"05", Second}}

const layoutSeparators = " -:/.,_T"

func parseLayout(layout string) ([]layoutPart, string) {
	var parts []layoutPart
	for rest := layout; rest != ""; {
		matched := false
		for _, f := range layoutFields {
			if strings.HasPrefix(rest, f.ref) {
				parts = append(parts, layoutPart{field: f.unit})
				rest = rest[len(f.ref):]
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if !strings.ContainsRune(layoutSeparators, rune(rest[0])) {
			return nil, "FormatTime layout " + quote(layout) + " has " + quote(rest[:1]) +
				": use 2006, 01, 02, 15, 04, 05 and the separators " + quote(layoutSeparators)
		}
		parts = append(parts, layoutPart{text: rest[:1]})
		rest = rest[1:]
	}
	if len(parts) == 0 {
		return nil, "FormatTime with an empty layout"
	}
	return parts, ""
}

var (
	pgFields   = [...]string{Year: "YYYY", Month: "MM", Day: "DD", Hour: "HH24", Minute: "MI", Second: "SS"}
	myFields   = [...]string{Year: "%Y", Month: "%m", Day: "%d", Hour: "%H", Minute: "%i", Second: "%s"}
	liteFields = [...]string{Year: "%Y", Month: "%m", Day: "%d", Hour: "%H", Minute: "%M", Second: "%S"}
)

func (f *formatTime) writeNode(w *Writer) {
	if f.err != "" {
		w.Fail(ErrInvalid, f.err)
		return
	}
	form := timeForm(w, "FormatTime")
	// The pattern is written into the SQL text, not bound: PostgreSQL matches a GROUP BY
	// item to a select item by its text, and the layout's characters are checked.
	pattern := func(fields []string, quoteLetters bool) {
		w.Char('\'')
		for _, p := range f.layout {
			switch {
			case p.field != 0:
				w.Text(fields[p.field])
			case quoteLetters && p.text == "T": // to_char reads letters as fields
				w.Text(`"T"`)
			default:
				w.Text(p.text)
			}
		}
		w.Char('\'')
	}
	switch form {
	case dialect.TimeDateTrunc:
		w.Text("TO_CHAR(")
		f.x.write(w)
		w.Text(" AT TIME ZONE 'UTC', ")
		pattern(pgFields[:], true)
		w.Char(')')
	case dialect.TimeDateFormat:
		w.Text("DATE_FORMAT(")
		f.x.write(w)
		w.Text(", ")
		pattern(myFields[:], false)
		w.Char(')')
	case dialect.TimeStrftime:
		w.Text("STRFTIME(")
		pattern(liteFields[:], false)
		w.Text(", ")
		f.x.write(w)
		w.Char(')')
	}
}

// FormatTime writes the time x as text in UTC, through a layout of Go's reference time:
// 2006 (year), 01 (month), 02 (day), 15 (hour, 00-23), 04 (minute), 05 (second), and the
// separators space - : / . , _ and T. Any other layout fails to build.
//
//	expr.FormatTime(o.CreatedAt, "2006-01")
//	// PostgreSQL: TO_CHAR("created_at" AT TIME ZONE 'UTC', 'YYYY-MM')
//	// MySQL:      DATE_FORMAT(`created_at`, '%Y-%m')
//	// SQLite:     STRFTIME('%Y-%m', "created_at")
func FormatTime(x Of[time.Time], layout string) Expr[string] {
	parts, err := parseLayout(layout)
	return newExpr[string](formatTime{x: ofNode(x), layout: parts, err: err})
}
