"""Everything but the pages: feeds, calendars, sitemap and redirects, search, the CMS, headers."""
