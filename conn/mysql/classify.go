package mysql

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/typedsql/typedsql/internal/engine"
)

// mysqlErrors classifies the MySQL/MariaDB error numbers whose SQLSTATE is too coarse
// (HY000 covers most of them). Numbers not listed fall back to their SQLSTATE class.
// https://mariadb.com/kb/en/mariadb-error-code-reference/
var mysqlErrors = map[uint16]engine.Class{
	// integrity: duplicate key, foreign key, NOT NULL, CHECK
	1022: engine.Integrity, 1062: engine.Integrity, 1169: engine.Integrity, 1586: engine.Integrity,
	1216: engine.Integrity, 1217: engine.Integrity, 1451: engine.Integrity, 1452: engine.Integrity,
	1557: engine.Integrity, 1761: engine.Integrity, 1762: engine.Integrity,
	1048: engine.Integrity, // ER_BAD_NULL_ERROR
	3819: engine.Integrity, // MySQL ER_CHECK_CONSTRAINT_VIOLATED
	4025: engine.Integrity, // MariaDB ER_CONSTRAINT_FAILED (CHECK)

	// data: too long, out of range, truncated, division by zero, bad value for the type
	1263: engine.Data, 1264: engine.Data, 1265: engine.Data, 1292: engine.Data, 1364: engine.Data,
	1365: engine.Data, 1366: engine.Data, 1367: engine.Data, 1406: engine.Data, 1411: engine.Data,
	1441: engine.Data, 1690: engine.Data, 3140: engine.Data, 1171: engine.Data,

	// serialization: deadlock, "record has changed since last read" (MariaDB snapshot isolation)
	1213: engine.Serialization, 1020: engine.Serialization,

	// operational: connecting, authentication, unknown database, lost or killed
	// connections, lock wait timeouts, interrupted or timed-out statements, resources
	1040: engine.Operational, 1041: engine.Operational, 1043: engine.Operational, 1044: engine.Operational,
	1045: engine.Operational, 1049: engine.Operational, 1053: engine.Operational, 1077: engine.Operational,
	1129: engine.Operational, 1130: engine.Operational, 1133: engine.Operational, 1152: engine.Operational,
	1153: engine.Operational, 1154: engine.Operational, 1155: engine.Operational, 1156: engine.Operational,
	1157: engine.Operational, 1158: engine.Operational, 1159: engine.Operational, 1160: engine.Operational,
	1161: engine.Operational, 1184: engine.Operational, 1203: engine.Operational, 1205: engine.Operational,
	1226: engine.Operational, 1290: engine.Operational, 1317: engine.Operational, 1836: engine.Operational,
	1927: engine.Operational, 1969: engine.Operational, 3024: engine.Operational,

	// programming: syntax, unknown or duplicate names, wrong column counts, bad DDL
	1050: engine.Programming, 1051: engine.Programming, 1052: engine.Programming, 1054: engine.Programming,
	1058: engine.Programming, 1060: engine.Programming, 1061: engine.Programming, 1064: engine.Programming,
	1065: engine.Programming, 1066: engine.Programming, 1091: engine.Programming, 1102: engine.Programming,
	1103: engine.Programming, 1110: engine.Programming, 1111: engine.Programming, 1113: engine.Programming,
	1136: engine.Programming, 1146: engine.Programming, 1149: engine.Programming, 1166: engine.Programming,
	1210: engine.Programming, 1215: engine.Programming,
	1390: engine.Programming, // ER_PS_MANY_PARAM: more than 65535 placeholders, never succeeds

	// not supported
	1178: engine.NotSupported, 1196: engine.NotSupported, 1235: engine.NotSupported,
	1286: engine.NotSupported, 1289: engine.NotSupported,
}

var (
	mysqlConstraintRe = regexp.MustCompile("CONSTRAINT [`']([^`']+)[`']")
	mysqlCheckRe      = regexp.MustCompile(`(?i)check constraint '([^']+)'`)
	mysqlDupKeyRe     = regexp.MustCompile(`for key '([^']+)'$`)
	mysqlColumnRe     = regexp.MustCompile(`^Column '([^']+)'`)
)

// errorInfo classifies a MySQL/MariaDB server error by its number, then its SQLSTATE, and
// reads the constraint or column name from the message where the server only says it there.
func errorInfo(my *mysql.MySQLError) engine.ErrorInfo {
	e := engine.ErrorInfo{Code: strconv.Itoa(int(my.Number))}
	if my.SQLState != [5]byte{} {
		e.SQLState = string(my.SQLState[:])
	}
	class, ok := mysqlErrors[my.Number]
	switch {
	case ok:
	case my.Number < 1000: // operating-system errors reported by the server (disk, files)
		class = engine.Internal
	case e.SQLState != "" && e.SQLState != "HY000":
		class = engine.SQLStateClass(e.SQLState) // SQLSTATE classes are standard; PostgreSQL's table applies
	default:
		class = engine.Operational
	}
	e.Class = class
	msg := my.Message
	switch my.Number {
	case 1062, 1586: // Duplicate entry 'x' for key 'users.email' (MySQL 8 prefixes the table)
		if m := mysqlDupKeyRe.FindStringSubmatch(msg); m != nil {
			e.Constraint = m[1]
			if t, k, ok := strings.Cut(m[1], "."); ok {
				e.Table, e.Constraint = t, k
			}
		}
	case 1048: // Column 'name' cannot be null
		if m := mysqlColumnRe.FindStringSubmatch(msg); m != nil {
			e.Column = m[1]
		}
	case 3819: // Check constraint 'c' is violated.
		if m := mysqlCheckRe.FindStringSubmatch(msg); m != nil {
			e.Constraint = m[1]
		}
	default: // foreign keys: ... CONSTRAINT `orders_ibfk_1` FOREIGN KEY ...; MariaDB CHECK: CONSTRAINT `t.c` failed for `db`.`t`
		if class == engine.Integrity {
			if m := mysqlConstraintRe.FindStringSubmatch(msg); m != nil {
				e.Constraint = m[1]
			}
		}
	}
	return e
}
