package conn

// evictIdle closes the pool's connections so that none outlives a change of the server's
// role (engine.Pool.EvictIdle: pgxpool's Reset closes the idle ones now and the others when
// they come back).
func (b *nativeBackend) evictIdle() { b.pool.EvictIdle() }

// evictIdle closes database/sql's idle connections (a limit of zero idle closes them) and
// restores the limit; connections in use go back to the pool as before.
func (b *sqlBackend) evictIdle() { b.closeIdleSQL() }
