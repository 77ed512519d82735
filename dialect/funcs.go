package dialect

// FuncForms are the spellings of the functions that differ between engines, which package
// expr's typed functions (Greatest, Least, Length, DateTrunc, DatePart, FormatTime, AddTime, Now)
// write per engine.
type FuncForms struct {
	// Greatest and Least name the scalar functions that return the largest and the smallest
	// of their arguments: GREATEST and LEAST, or SQLite's MAX and MIN given several arguments.
	Greatest, Least string
	// CharLength names the function that counts a string's characters: LENGTH on PostgreSQL
	// and SQLite, CHAR_LENGTH on MySQL (whose LENGTH counts bytes).
	CharLength string
	// Time is how the engine computes with dates and times.
	Time TimeForm
}

// TimeForm is an engine's way of truncating, formatting and shifting times. Every form
// computes in UTC, the zone typedsql's connections write times in, so that one instant falls
// in the same bucket on every engine.
type TimeForm uint8

const (
	// TimeNone: the engine has no date and time functions typedsql knows.
	TimeNone TimeForm = iota
	// TimeDateTrunc: times are TIMESTAMPTZ. date_trunc('month', x, 'UTC'),
	// to_char(x AT TIME ZONE 'UTC', 'YYYY-MM'), x + make_interval(days => n),
	// CURRENT_TIMESTAMP (PostgreSQL).
	TimeDateTrunc
	// TimeDateFormat: times are DATETIME values holding UTC's wall clock.
	// CAST(DATE_FORMAT(x, '%Y-%m-01') AS DATETIME(6)), DATE_FORMAT(x, '%Y-%m'),
	// DATE_ADD(x, INTERVAL n DAY), UTC_TIMESTAMP(6) (MySQL, MariaDB).
	TimeDateFormat
	// TimeStrftime: times are text in UTC, "2006-01-02 15:04:05.999999999+00:00" as the
	// connection writes them. strftime('%Y-%m-01 00:00:00+00:00', x), strftime('%Y-%m', x),
	// modifiers such as '+3 days' (SQLite). Computed times keep milliseconds.
	TimeStrftime
)
