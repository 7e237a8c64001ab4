"""Workshop scenarios: status quo, cooperation and merger side by side.

``model`` (scenarios, the expert committee's criteria), ``proxies`` (measured
criterion scores and card figures), ``scoring`` (weighted sum, TOPSIS, combined
view), ``sensitivity`` (exact flip points), ``board`` (the assessment of a
workspace's board), ``proposals`` (contiguous regions above a population
threshold) and ``service`` (the board of a stored workspace). The store functions
are in :mod:`kommunestrategi.store.scenarios`.
"""
