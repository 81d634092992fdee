from konfig.cli import main

raise SystemExit(main())
