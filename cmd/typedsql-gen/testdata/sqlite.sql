CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email VARCHAR(200) NOT NULL CONSTRAINT uq_users_email UNIQUE,
	name TEXT NOT NULL,
	avatar_url TEXT,
	visits INTEGER NOT NULL DEFAULT 0,
	small SMALLINT,
	score REAL,
	active BOOLEAN NOT NULL DEFAULT 1,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	photo BLOB,
	meta JSON,
	anything,
	birthday DATE,
	ratio FLOAT,
	code CHAR(5),
	bio TEXT
);
CREATE INDEX ix_users_name ON users (name);
CREATE TABLE orders (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	status VARCHAR(20) NOT NULL DEFAULT 'new',
	total NUMERIC(12,2) NOT NULL,
	note TEXT,
	CHECK (total >= 0),
	UNIQUE (user_id, note)
);
CREATE INDEX ix_orders_status_total ON orders (status, total);
CREATE TABLE order_tags (
	order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
	tag VARCHAR(40) NOT NULL,
	PRIMARY KEY (order_id, tag)
);
CREATE TABLE tag_notes (
	id INTEGER NOT NULL PRIMARY KEY,
	order_id INTEGER NOT NULL,
	tag VARCHAR(40) NOT NULL,
	note TEXT NOT NULL,
	CONSTRAINT fk_tag_notes_order_tag FOREIGN KEY (order_id, tag) REFERENCES order_tags (order_id, tag)
);
CREATE VIEW active_users AS SELECT id, email, name FROM users WHERE active
