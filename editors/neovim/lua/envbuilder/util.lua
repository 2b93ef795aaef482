-- Small helpers shared by the envbuilder plugin: version checks, client calls that work on
-- Neovim 0.7 and later, and the path rules (devcontainer configs, Dockerfiles, workspace roots).
local M = {}

local uv = vim.uv or vim.loop

M.uv = uv

--- True when running on Neovim `version` or later ("0.8", "0.11", ...).
function M.has(version)
  return vim.fn.has('nvim-' .. version) == 1
end

--- Calls a client method: `client.request(...)` up to 0.10, `client:request(...)` from 0.11 on
--- (where the dot form is deprecated).
function M.call(client, method, ...)
  if M.has('0.11') then
    return client[method](client, ...)
  end
  return client[method](...)
end

--- A buffer option (nvim_get_option_value from 0.10 on, where nvim_buf_get_option is deprecated).
function M.get_option(bufnr, name)
  if M.has('0.10') then
    return vim.api.nvim_get_option_value(name, { buf = bufnr })
  end
  return vim.api.nvim_buf_get_option(bufnr, name)
end

function M.set_option(bufnr, name, value)
  if M.has('0.10') then
    return vim.api.nvim_set_option_value(name, value, { buf = bufnr })
  end
  return vim.api.nvim_buf_set_option(bufnr, name, value)
end

--- All running clients (vim.lsp.get_clients from 0.10 on, get_active_clients before).
function M.all_clients()
  if vim.lsp.get_clients then
    return vim.lsp.get_clients()
  end
  return vim.lsp.get_active_clients()
end

function M.client_alive(client)
  if not client then
    return false
  end
  if client.is_stopped then
    return not M.call(client, 'is_stopped')
  end
  return true
end

--- vim.notify with the plugin's prefix. vim.notify is looked up at each call, so a notification
--- plugin (or a test) that replaces it later still gets the messages.
function M.notify(message, level)
  vim.notify('envbuilder: ' .. message, level or vim.log.levels.INFO, { title = 'envbuilder' })
end

local function stat_type(path)
  local stat = uv.fs_stat(path)
  return stat and stat.type
end

--- Absolute path without a trailing slash.
function M.normalize(path)
  path = vim.fn.fnamemodify(path, ':p')
  if #path > 1 then
    path = path:gsub('/+$', '')
  end
  return path
end

function M.basename(path)
  return vim.fn.fnamemodify(path, ':t')
end

function M.dirname(path)
  return vim.fn.fnamemodify(path, ':h')
end

--- .devcontainer.json, .devcontainer/devcontainer.json or .devcontainer/<name>/devcontainer.json
--- (the same rule as the server's).
function M.is_devcontainer(path)
  local name = M.basename(path)
  if name == '.devcontainer.json' then
    return true
  end
  if name ~= 'devcontainer.json' then
    return false
  end
  local parent = M.dirname(path)
  return M.basename(parent) == '.devcontainer' or M.basename(M.dirname(parent)) == '.devcontainer'
end

--- Dockerfile, Containerfile, Dockerfile.*, Containerfile.*, *.Dockerfile (any case).
function M.is_dockerfile_name(path)
  local name = M.basename(path):lower()
  return name == 'dockerfile'
    or name == 'containerfile'
    or vim.startswith(name, 'dockerfile.')
    or vim.startswith(name, 'containerfile.')
    or (#name > 11 and vim.endswith(name, '.dockerfile'))
end

--- Whether the directory holds a devcontainer configuration.
function M.has_devcontainer(dir)
  return stat_type(dir .. '/.devcontainer') == 'directory' or stat_type(dir .. '/.devcontainer.json') == 'file'
end

--- The workspace root of a file: the nearest directory, from the file's own upwards, that contains
--- .devcontainer/ or .devcontainer.json; else the file's directory. The second value tells
--- whether a devcontainer configuration was found.
function M.find_root(path)
  path = M.normalize(path)
  local start = stat_type(path) == 'directory' and path or M.dirname(path)
  local dir = start
  while true do
    if M.has_devcontainer(dir == '/' and '' or dir) then
      return dir, true
    end
    local parent = M.dirname(dir)
    if parent == dir then
      break
    end
    dir = parent
  end
  return start, false
end

--- Whether `path` is `dir` or lies below it.
function M.is_under(path, dir)
  if dir == '/' then
    return vim.startswith(path, '/')
  end
  return path == dir or vim.startswith(path, dir .. '/')
end

--- Splits text into lines (\n or \r\n), without the empty piece after a final newline.
function M.lines(text)
  local result = {}
  text = tostring(text or ''):gsub('\r\n', '\n')
  for line in (text .. '\n'):gmatch('([^\n]*)\n') do
    table.insert(result, line)
  end
  if #result > 1 and result[#result] == '' and text:sub(-1) == '\n' then
    table.remove(result)
  end
  return result
end

return M
