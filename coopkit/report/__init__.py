"""Reports: charts (matplotlib/seaborn figures) and escaped HTML fragments."""
