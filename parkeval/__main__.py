from parkeval.cli import main

main()
