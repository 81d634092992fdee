from rxp.cli import main

raise SystemExit(main())
