package conn

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// mysqlErrors classifies the MySQL/MariaDB error numbers whose SQLSTATE is too coarse
// (HY000 covers most of them). Numbers not listed fall back to their SQLSTATE class.
// https://mariadb.com/kb/en/mariadb-error-code-reference/
var mysqlErrors = map[uint16]error{
	// integrity: duplicate key, foreign key, NOT NULL, CHECK
	1022: ErrIntegrity, 1062: ErrIntegrity, 1169: ErrIntegrity, 1586: ErrIntegrity,
	1216: ErrIntegrity, 1217: ErrIntegrity, 1451: ErrIntegrity, 1452: ErrIntegrity,
	1557: ErrIntegrity, 1761: ErrIntegrity, 1762: ErrIntegrity,
	1048: ErrIntegrity, // ER_BAD_NULL_ERROR
	3819: ErrIntegrity, // MySQL ER_CHECK_CONSTRAINT_VIOLATED
	4025: ErrIntegrity, // MariaDB ER_CONSTRAINT_FAILED (CHECK)

	// data: too long, out of range, truncated, division by zero, bad value for the type
	1263: ErrData, 1264: ErrData, 1265: ErrData, 1292: ErrData, 1364: ErrData,
	1365: ErrData, 1366: ErrData, 1367: ErrData, 1406: ErrData, 1411: ErrData,
	1441: ErrData, 1690: ErrData, 3140: ErrData, 1171: ErrData,

	// serialization: deadlock, "record has changed since last read" (MariaDB snapshot isolation)
	1213: ErrSerialization, 1020: ErrSerialization,

	// operational: connecting, authentication, unknown database, lost or killed
	// connections, lock wait timeouts, interrupted or timed-out statements, resources
	1040: ErrOperational, 1041: ErrOperational, 1043: ErrOperational, 1044: ErrOperational,
	1045: ErrOperational, 1049: ErrOperational, 1053: ErrOperational, 1077: ErrOperational,
	1129: ErrOperational, 1130: ErrOperational, 1133: ErrOperational, 1152: ErrOperational,
	1153: ErrOperational, 1154: ErrOperational, 1155: ErrOperational, 1156: ErrOperational,
	1157: ErrOperational, 1158: ErrOperational, 1159: ErrOperational, 1160: ErrOperational,
	1161: ErrOperational, 1184: ErrOperational, 1203: ErrOperational, 1205: ErrOperational,
	1226: ErrOperational, 1290: ErrOperational, 1317: ErrOperational, 1836: ErrOperational,
	1927: ErrOperational, 1969: ErrOperational, 3024: ErrOperational,

	// programming: syntax, unknown or duplicate names, wrong column counts, bad DDL
	1050: ErrProgramming, 1051: ErrProgramming, 1052: ErrProgramming, 1054: ErrProgramming,
	1058: ErrProgramming, 1060: ErrProgramming, 1061: ErrProgramming, 1064: ErrProgramming,
	1065: ErrProgramming, 1066: ErrProgramming, 1091: ErrProgramming, 1102: ErrProgramming,
	1103: ErrProgramming, 1110: ErrProgramming, 1111: ErrProgramming, 1113: ErrProgramming,
	1136: ErrProgramming, 1146: ErrProgramming, 1149: ErrProgramming, 1166: ErrProgramming,
	1210: ErrProgramming, 1215: ErrProgramming,
	1390: ErrProgramming, // ER_PS_MANY_PARAM: more than 65535 placeholders, never succeeds

	// not supported
	1178: ErrNotSupported, 1196: ErrNotSupported, 1235: ErrNotSupported,
	1286: ErrNotSupported, 1289: ErrNotSupported,
}

var (
	mysqlConstraintRe = regexp.MustCompile("CONSTRAINT [`']([^`']+)[`']")
	mysqlCheckRe      = regexp.MustCompile(`(?i)check constraint '([^']+)'`)
	mysqlDupKeyRe     = regexp.MustCompile(`for key '([^']+)'$`)
	mysqlColumnRe     = regexp.MustCompile(`^Column '([^']+)'`)
)

// mysqlError classifies a MySQL/MariaDB server error by its number, then its SQLSTATE, and
// reads the constraint or column name from the message where the server only says it there.
func mysqlError(my *mysql.MySQLError) *Error {
	e := &Error{Code: strconv.Itoa(int(my.Number))}
	if my.SQLState != [5]byte{} {
		e.SQLState = string(my.SQLState[:])
	}
	class, ok := mysqlErrors[my.Number]
	switch {
	case ok:
	case my.Number < 1000: // operating-system errors reported by the server (disk, files)
		class = ErrInternal
	case e.SQLState != "" && e.SQLState != "HY000":
		class = postgresClass(e.SQLState) // SQLSTATE classes are standard; PostgreSQL's table applies
	default:
		class = ErrOperational
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
		if class == ErrIntegrity {
			if m := mysqlConstraintRe.FindStringSubmatch(msg); m != nil {
				e.Constraint = m[1]
			}
		}
	}
	return e
}
