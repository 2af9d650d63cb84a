module github.com/acme/shop/inventory

go 1.23
