print("shoal: not yet built")
