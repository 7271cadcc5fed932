-- The engine's side: an analyzer whose loop gets a batch (a table {batch, generated}).
dofile("analyzer/driver.lua")
function loop(msg) result = run_batch(msg.batch, msg.generated) end
