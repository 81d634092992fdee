module twin

go 1.19
