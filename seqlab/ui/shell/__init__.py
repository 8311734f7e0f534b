"""The window's shell, one job per module: run control, the spec editor, lessons, files,
presentation mode, the status bar, the notice strip, the redraw budget and the run store.
``seqlab.ui.main_window.MainWindow`` puts them together; none of them names a family."""
