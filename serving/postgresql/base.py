"""Django's PostgreSQL backend with a health check that costs no round trip while the
connection is quiet.

Connections are kept between requests (``CONN_MAX_AGE``), and ``CONN_HEALTH_CHECKS`` makes
Django run ``SELECT 1`` before the first query of each request, so that a connection the
server dropped while it sat idle (a restart, a failover) is replaced instead of failing the
request. That round trip was one in four of a lesson page's. A server that ends a connection
says so on the socket first (the termination notice, then the end of the stream), so an idle
connection with nothing to read is taken as alive, as redis-py judges its pooled connections;
when there is something to read, or the connection is not idle, Django's own check decides.
A connection cut without a word (a network partition) fails its first query as before.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and self._quiet_and_idle()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet_and_idle(self):
        pgconn = self.connection.pgconn
        if (
            self.connection.closed
            or pgconn.status != pq.ConnStatus.OK
            or pgconn.transaction_status != pq.TransactionStatus.IDLE
        ):
            return False
        try:
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
