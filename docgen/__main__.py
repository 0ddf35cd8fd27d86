from docgen.cli import program

program()
