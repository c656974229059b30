module spx.dev/spx

go 1.19
