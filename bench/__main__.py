from bench.identity import main

main()
