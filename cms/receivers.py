"""The page cache's purges for the site: Wagtail's own page and site changes, and the
branding every page shows."""

from cms.models import Branding
from serving import pagecache

pagecache.connect()
pagecache.purge_on_change(Branding)
