"""Views of a trained network: heatmaps of hidden states and gates, a live cell diagram,
the network unrolled through time.  Each view is created once and updated in place."""
