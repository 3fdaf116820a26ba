-- On the other dialects this migration makes ids compare bytewise. Here they have been VARBINARY,
-- which compares bytewise, since 000001: nothing to change. It stays, so that every dialect has the
-- same versions.
DO 0;
