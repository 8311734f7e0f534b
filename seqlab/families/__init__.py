"""Model families: each kind of network the lab teaches is one sub-package."""
