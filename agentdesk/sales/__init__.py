"""sales: products and price lists, quotes and orders (issue 17)."""
