"""The grid the indicator reader works on: every row cut or padded to the header's width."""

from kommunestrategi.io.indicators_import import _grid_frame


def test_rows_of_one_width_and_ragged_rows_give_the_same_grid():
    even = [["0301", "Oslo", 2024, 717_710, None], ["5001", "Trondheim", 2024, 214_565, "x"]]
    frame = _grid_frame(even, 4)  # a sheet's grid (all rows as wide): cut to the header's width
    assert frame.values.tolist() == [["0301", "Oslo", 2024, 717_710], ["5001", "Trondheim", 2024, 214_565]]
    assert frame.dtypes.eq(object).all()
    ragged = [["0301", "Oslo", 2024], ["5001", "Trondheim", 2024, 214_565, "x"]]
    assert _grid_frame(ragged, 4).values.tolist() == [["0301", "Oslo", 2024, ""],
                                                      ["5001", "Trondheim", 2024, 214_565]]
    narrow = [["0301", "Oslo"], ["5001", "Trondheim"]]  # all rows narrower than the header: padded
    assert _grid_frame(narrow, 3).values.tolist() == [["0301", "Oslo", ""], ["5001", "Trondheim", ""]]
    # a cell holding a list is kept as one cell, not spread over the row
    assert _grid_frame([[["a", "b"], 1]], 2).iloc[0, 0] == ["a", "b"]
