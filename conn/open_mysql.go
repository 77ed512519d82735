package conn

import (
	"context"
	"fmt"

	"github.com/typedsql/typedsql/conn/config"
	"github.com/typedsql/typedsql/internal/engine"
)

// openMySQL opens MySQL/MariaDB through the engine conn/mysql registers, which makes the
// driver's connector from the resolved settings.
func openMySQL(ctx context.Context, r Config) (backend, error) {
	eng, err := engineFor(r.Adapter)
	if err != nil {
		return nil, err
	}
	connector, err := eng.Connector(ctx, engine.Settings{
		Host: r.Host, Port: r.Port, User: r.User, Password: r.Password, Database: r.Database,
		ConnectTimeout: durationOr(r.ConnectTimeout, defaultConnectTimeout), DriverArgs: r.DriverArgs,
	})
	if err != nil {
		return nil, fmt.Errorf("conn: %s: %w", config.RedactedURL(r), redactErr(err, config.Secrets(r)...))
	}
	return newSQLBackendFor(connector, r), nil
}
