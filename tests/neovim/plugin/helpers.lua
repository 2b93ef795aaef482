-- Shared by the plugin tests: ok/FAIL reporting, captured vim.notify messages, waiting, files.
-- Each test file runs in its own `nvim --headless -u NONE -i NONE` with editors/neovim on
-- 'runtimepath' and this directory on package.path (see ../plugin_test.sh).
local H = {}

H.binary = assert(os.getenv('ENVBUILDER_BINARY'), 'ENVBUILDER_BINARY not set')
H.workdir = assert(os.getenv('WORKDIR'), 'WORKDIR not set')
H.passed = 0
H.failures = {}

-- Every vim.notify call, in order: { message = ..., level = ... }.
H.messages = {}
vim.notify = function(message, level)
  table.insert(H.messages, { message = tostring(message), level = level or vim.log.levels.INFO })
end

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

function H.ok(name)
  H.passed = H.passed + 1
  out('ok ' .. name)
end

function H.fail(name, detail)
  local line = name .. (detail and (': ' .. detail) or '')
  table.insert(H.failures, line)
  out('FAIL ' .. line)
end

--- Records ok or FAIL; returns the condition.
function H.check(condition, name, detail)
  if condition then
    H.ok(name)
  else
    if type(detail) == 'function' then
      detail = tostring(detail())
    end
    H.fail(name, detail)
  end
  return condition
end

function H.wait(ms, predicate)
  return vim.wait(ms, predicate, 50)
end

--- The first notification after index `since` matching a Lua pattern (or any of a list of
--- them), and its index.
function H.find_message(patterns, since)
  if type(patterns) == 'string' then
    patterns = { patterns }
  end
  for i = (since or 0) + 1, #H.messages do
    for _, pattern in ipairs(patterns) do
      if H.messages[i].message:match(pattern) then
        return H.messages[i], i
      end
    end
  end
  return nil
end

--- Waits up to `ms` for find_message(patterns, since).
function H.wait_message(patterns, ms, since)
  H.wait(ms, function()
    return H.find_message(patterns, since) ~= nil
  end)
  return H.find_message(patterns, since)
end

function H.messages_text(since)
  local lines = {}
  for i = (since or 0) + 1, #H.messages do
    table.insert(lines, string.format('[%s] %s', tostring(H.messages[i].level), H.messages[i].message))
  end
  return table.concat(lines, '\n')
end

function H.write(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ':h'), 'p')
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

function H.edit(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

--- The buffer's diagnostics with the given code.
function H.diagnostics(bufnr, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code == nil or d.code == code then
      table.insert(found, d)
    end
  end
  return found
end

function H.wait_diagnostic(bufnr, code, ms)
  H.wait(ms or 10000, function()
    return #H.diagnostics(bufnr, code) > 0
  end)
  return H.diagnostics(bufnr, code)[1]
end

--- The envbuilder clients attached to a buffer (waiting up to 10 s for one to be ready).
function H.attached(bufnr, ms)
  H.wait(ms or 10000, function()
    return #H.attached_now(bufnr) > 0
  end)
  return H.attached_now(bufnr)
end

function H.attached_now(bufnr)
  local ids = {}
  local all = vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
  for _, client in ipairs(all) do
    if client.name == 'envbuilder' and vim.lsp.buf_is_attached(bufnr, client.id) then
      table.insert(ids, client.id)
    end
  end
  return ids
end

--- Runs the test body; reports an error in it as a failure; ends Neovim with the verdict.
function H.run(label, body)
  local ok, err = xpcall(body, debug.traceback)
  if not ok then
    H.fail(label .. ' raised an error', err)
  end
  for _, client in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    pcall(vim.lsp.stop_client, client.id)
  end
  if os.getenv('VERBOSE') == '1' then
    out('-- messages:\n' .. H.messages_text(0))
  end
  out(string.format('%s: %d passed, %d failed', label, H.passed, #H.failures))
  if #H.failures > 0 then
    vim.cmd('cquit 1')
  end
  vim.cmd('qa!')
end

return H
